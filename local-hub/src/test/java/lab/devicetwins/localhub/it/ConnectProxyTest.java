package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CONNECT proxy that stands in for port 443 tunnels to the hub and to nothing else.
 */
class ConnectProxyTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    @Test
    void the_service_sdk_reaches_the_hub_through_the_proxy() throws Exception {
        LocalHub hub = localHub.hub();
        assertThat(hub.httpsOnStandardPort()).isFalse();

        assertThat(new OfficialSdks(hub).registry().getDevice("myDeviceId").getDeviceId()).isEqualTo("myDeviceId");
    }

    @Test
    void a_tunnel_to_the_hub_carries_tls_with_the_hubs_certificate() throws Exception {
        LocalHub hub = localHub.hub();
        try (Socket socket = proxySocket()) {
            String status = request(socket, "CONNECT " + hub.hostName() + ":443 HTTP/1.1\r\nHost: " + hub.hostName()
                    + ":443\r\n\r\n");
            assertThat(status).startsWith("HTTP/1.1 200");
            SSLSocket tls = (SSLSocket) hub.clientSslContext().getSocketFactory()
                    .createSocket(socket, hub.hostName(), 443, false);
            tls.startHandshake();

            assertThat(tls.getSession().getPeerPrincipal().getName()).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            CONNECT example.com:443 HTTP/1.1         | 403
            CONNECT 10.0.0.1:443 HTTP/1.1            | 403
            CONNECT HOST:8883 HTTP/1.1               | 403
            CONNECT HOST:22 HTTP/1.1                 | 403
            GET http://HOST/devices/x HTTP/1.1       | 405
            POST http://example.com/ HTTP/1.1        | 405
            GARBAGE                                  | 405
            """)
    void the_proxy_refuses_everything_but_a_tunnel_to_the_hubs_https_port(String requestLine, int status)
            throws Exception {
        String line = requestLine.replace("HOST", localHub.hub().hostName());
        try (Socket socket = proxySocket()) {
            String answer = request(socket, line + "\r\nHost: example.com\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 " + status);
        }
    }

    @Test
    void a_request_head_without_end_is_cut_off_at_its_size_limit() throws Exception {
        try (Socket socket = proxySocket()) {
            String answer = request(socket, "CONNECT " + localHub.hub().hostName() + ":443 HTTP/1.1\r\nX-Padding: "
                    + "x".repeat(20_000));

            assertThat(answer).startsWith("HTTP/1.1 431");
        }
    }

    @Test
    void a_complete_request_head_over_8_kb_in_one_write_is_refused_with_431() throws Exception {
        try (Socket socket = proxySocket()) {
            String answer = request(socket, connectHeadOf(9 * 1024));

            assertThat(answer).startsWith("HTTP/1.1 431");
        }
    }

    @Test
    void a_complete_request_head_of_exactly_8_kb_is_tunnelled() throws Exception {
        try (Socket socket = proxySocket()) {
            String answer = request(socket, connectHeadOf(8 * 1024));

            assertThat(answer).startsWith("HTTP/1.1 200");
        }
    }

    /** A CONNECT to the hub, padded to exactly {@code bytes} including the empty line that ends it. */
    private static String connectHeadOf(int bytes) {
        String start = "CONNECT " + localHub.hub().hostName() + ":443 HTTP/1.1\r\nX-Padding: ";
        String end = "\r\n\r\n";
        return start + "x".repeat(bytes - start.length() - end.length()) + end;
    }

    private static Socket proxySocket() throws Exception {
        Socket socket = new Socket();
        socket.connect(localHub.hub().proxyAddress().orElseThrow(), 10_000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    /** Sends raw bytes and returns the status line of the answer. */
    private static String request(Socket socket, String text) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        String status = in.readLine();
        String header;
        do {
            header = in.readLine();
        } while (header != null && !header.isEmpty());
        return String.valueOf(status);
    }
}
