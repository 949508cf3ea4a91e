package lab.devicetwins.tutorial.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

class LocalCaTrustTest {

    @TempDir
    Path scratch;

    private TestCertificates certificates;
    private HttpsServer server;

    @BeforeEach
    void start_an_https_server_with_a_certificate_of_the_local_ca() throws Exception {
        certificates = TestCertificates.selfSigned(scratch);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(certificates.keyStore())) {
            keyStore.load(in, certificates.password());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, certificates.password());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keys.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        server.createContext("/", exchange -> {
            byte[] body = "twins".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop_the_server() {
        server.stop(0);
    }

    @Test
    void without_the_local_ca_the_jdk_refuses_the_hubs_certificate() throws Exception {
        SSLContext jdkOnly = SSLContext.getInstance("TLS");
        jdkOnly.init(null, null, null);

        assertThatThrownBy(() -> get("127.0.0.1", jdkOnly)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void after_installing_the_local_ca_a_plain_https_url_connection_reaches_the_hub() throws Exception {
        LocalCaTrust.installForHttpsUrlConnection(certificates.pem());

        HttpsURLConnection connection = (HttpsURLConnection) uri("127.0.0.1").toURL().openConnection();

        assertThat(new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("twins");
    }

    @Test
    void the_host_name_is_still_checked_against_the_certificate() {
        SSLContext trusting = LocalCaTrust.sslContext(LocalCaTrust.certificates(certificates.pem()));

        // The certificate names 127.0.0.1 only: "localhost" reaches the same server but must be refused.
        assertThatThrownBy(() -> get("localhost", trusting)).isInstanceOf(IOException.class)
                .hasMessageContaining("localhost");
    }

    @Test
    void the_jdks_own_cas_stay_trusted_next_to_the_local_ca() throws Exception {
        List<X509Certificate> local = LocalCaTrust.certificates(certificates.pem());
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        X509Certificate[] jdkIssuers = ((X509TrustManager) jdk.getTrustManagers()[0]).getAcceptedIssuers();

        X509TrustManager combined = LocalCaTrust.trustManager(local);

        assertThat(jdkIssuers).isNotEmpty();
        assertThat(Arrays.asList(combined.getAcceptedIssuers()))
                .containsAll(Arrays.asList(jdkIssuers))
                .containsAll(local)
                .hasSize(jdkIssuers.length + local.size());
    }

    @Test
    void pem_text_without_a_certificate_is_refused_with_a_clear_message() {
        assertThatThrownBy(() -> LocalCaTrust.certificates("not a certificate"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("local hub's CA");
    }

    private String get(String host, SSLContext context) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) uri(host).toURL().openConnection();
        connection.setSSLSocketFactory(context.getSocketFactory());
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private URI uri(String host) {
        return URI.create("https://" + host + ":" + server.getAddress().getPort() + "/twin");
    }
}
