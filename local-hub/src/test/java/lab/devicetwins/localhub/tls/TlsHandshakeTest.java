package lab.devicetwins.localhub.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.device.auth.IotHubSSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A real TLS 1.2 server on 127.0.0.1 with the hub's key store, and clients configured the way the SDKs are. */
class TlsHandshakeTest {

    static final DevelopmentCertificates CERTIFICATES = DevelopmentCertificates.loadOrCreate(null, List.of("myhub.example"));
    static SSLServerSocket server;
    static final ExecutorService ACCEPTOR = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void start_a_tls_1_2_echo_server() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(CERTIFICATES.serverKeyStore(), CERTIFICATES.keyStorePassword());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        server.setEnabledProtocols(new String[] {"TLSv1.2"});
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        ACCEPTOR.submit(TlsHandshakeTest::echoOneByteToEachClient);
    }

    @AfterAll
    static void stop_the_server() throws IOException {
        server.close();
        ACCEPTOR.shutdownNow();
    }

    private static void echoOneByteToEachClient() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write(client.getInputStream().read());
            } catch (IOException handshakeRefusedOrServerClosed) {
                // the client-side assertions tell whether a refusal was expected
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "myhub.example"})
    void the_client_context_completes_a_tls_1_2_handshake_with_host_name_verification(String host) throws Exception {
        SSLSession session = handshake(CERTIFICATES.clientSslContext(), host);

        assertThat(session.getProtocol()).isEqualTo("TLSv1.2");
        assertThat(session.getPeerCertificates()[0]).isEqualTo(CERTIFICATES.serverCertificate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void the_device_sdks_context_built_from_the_ca_pem_trusts_the_hub(String host) throws Exception {
        SSLContext deviceSdkContext = IotHubSSLContext.getSSLContextFromString(CERTIFICATES.caPem());

        assertThat(handshake(deviceSdkContext, host).getProtocol()).isEqualTo("TLSv1.2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "myhub.example"})
    void a_context_built_from_the_exported_ca_pem_trusts_the_hub_over_tls_1_2(String host) throws Exception {
        SSLContext fromPem = DevelopmentCaTrust.fromPem(CERTIFICATES.caPem()).sslContext();

        SSLSession session = handshake(fromPem, host);

        assertThat(session.getProtocol()).isEqualTo("TLSv1.2");
        assertThat(session.getPeerCertificates()[0]).isEqualTo(CERTIFICATES.serverCertificate());
    }

    @Test
    void a_context_that_adds_the_ca_to_the_jdks_cas_trusts_the_hub_too() throws Exception {
        SSLContext withJdkCas = DevelopmentCaTrust.fromPem(CERTIFICATES.caPem()).sslContextWithJdkCas();

        assertThat(handshake(withJdkCas, "127.0.0.1").getPeerCertificates()[0])
                .isEqualTo(CERTIFICATES.serverCertificate());
    }

    @Test
    void a_host_name_the_certificate_does_not_name_is_refused() {
        DevelopmentCaTrust trust = DevelopmentCaTrust.fromPem(CERTIFICATES.caPem());

        for (SSLContext context : List.of(CERTIFICATES.clientSslContext(), trust.sslContext(), trust.sslContextWithJdkCas())) {
            assertThatThrownBy(() -> handshake(context, "elsewhere.example"))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("elsewhere.example");
        }
    }

    @Test
    void installing_another_hubs_ca_for_https_url_connection_keeps_trusting_the_first(@TempDir Path otherDataDir)
            throws Exception {
        DevelopmentCertificates other = DevelopmentCertificates.loadOrCreate(otherDataDir, List.of());
        DevelopmentCaTrust.fromPem(CERTIFICATES.caPem()).installForHttpsUrlConnection();

        DevelopmentCaTrust.fromPem(other.caPem()).installForHttpsUrlConnection();

        SSLSocket socket = (SSLSocket) HttpsURLConnection.getDefaultSSLSocketFactory()
                .createSocket(InetAddress.getByName("127.0.0.1"), server.getLocalPort());
        try (socket) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(CERTIFICATES.serverCertificate());
        }
    }

    @Test
    void a_client_trusting_another_development_ca_refuses_the_hub(@TempDir Path otherDataDir) {
        DevelopmentCertificates other = DevelopmentCertificates.loadOrCreate(otherDataDir, List.of());

        assertThat(other.caCertificate()).isNotEqualTo(CERTIFICATES.caCertificate());
        assertThatThrownBy(() -> handshake(other.clientSslContext(), "127.0.0.1"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path");
    }

    @Test
    void the_jvm_default_trust_does_not_know_the_development_ca() {
        assertThatThrownBy(() -> handshake(SSLContext.getDefault(), "localhost"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path");
    }

    /** Connects to 127.0.0.1 while verifying {@code host}, as Paho and HttpsURLConnection verify the configured host. */
    private static SSLSession handshake(SSLContext context, String host) throws IOException {
        Socket tcp = new Socket(InetAddress.getByName("127.0.0.1"), server.getLocalPort());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(tcp, host, server.getLocalPort(), true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            socket.getOutputStream().write(42);
            assertThat(socket.getInputStream().read()).isEqualTo(42);
            return socket.getSession();
        } finally {
            tcp.close();
        }
    }
}
