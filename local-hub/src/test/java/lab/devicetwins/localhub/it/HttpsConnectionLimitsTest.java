package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.http.ConnectionLimits;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connections to the HTTPS port that make no requests are closed, whether they send nothing, dribble their request or
 * sit idle, and the port holds no more than its cap, while real requests are served throughout. Each hub sets one
 * limit short and leaves the others far above {@link RawConnection#CLOSE_BOUND}, so a closed connection shows which
 * limit acted.
 */
class HttpsConnectionLimitsTest {
    private static final String DEVICE = LocalHub.DEFAULT_DEVICE_ID;
    private static final Duration SHORT = Duration.ofSeconds(1);
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final ConnectionLimits ALL_LONG = ConnectionLimits.defaults().withTlsHandshakeTimeout(LONG)
            .withRequestTimeout(LONG).withIdleTimeout(LONG);

    @RegisterExtension
    static LocalHubExtension handshakes = hubWith(ALL_LONG.withTlsHandshakeTimeout(SHORT));
    @RegisterExtension
    static LocalHubExtension requests = hubWith(ALL_LONG.withRequestTimeout(SHORT));
    @RegisterExtension
    static LocalHubExtension idle = hubWith(ALL_LONG.withIdleTimeout(SHORT));
    @RegisterExtension
    static LocalHubExtension capped = hubWith(ALL_LONG.withMaxConnectionsPerPort(3));

    private final List<RawConnection> opened = new ArrayList<>();

    private static LocalHubExtension hubWith(ConnectionLimits limits) {
        return LocalHubExtension.with(b -> b.mqttPort(0).httpsPort(0).proxyPort(-1).connectionLimits(limits));
    }

    private RawConnection open(RawConnection connection) {
        opened.add(connection);
        return connection;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (RawConnection connection : opened) {
            connection.close();
        }
    }

    private static int twinStatus(LocalHub hub) throws Exception {
        return new ServiceRestClient(hub).send("GET", "/twins/" + DEVICE, null).statusCode();
    }

    @Test
    void a_connection_that_never_starts_its_tls_handshake_is_closed() throws Exception {
        LocalHub hub = handshakes.hub();
        RawConnection silent = open(RawConnection.tcp(hub.hostName(), hub.httpsPort()));

        assertThat(twinStatus(hub)).isEqualTo(200);
        silent.awaitClosedByHub();
    }

    @Test
    void a_connection_that_sends_nothing_after_its_handshake_is_closed_while_requests_are_served() throws Exception {
        LocalHub hub = requests.hub();
        List<RawConnection> silent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            silent.add(open(RawConnection.tls(hub)));
        }

        assertThat(twinStatus(hub)).isEqualTo(200);
        silent.forEach(RawConnection::awaitClosedByHub);
    }

    @Test
    void a_connection_that_dribbles_its_request_head_is_closed() throws Exception {
        LocalHub hub = requests.hub();
        RawConnection dribbling = open(RawConnection.tls(hub));

        dribbling.dribbleUntilClosedByHub(RawConnection.twinRequest(hub, DEVICE), Duration.ofMillis(200));

        assertThat(twinStatus(hub)).isEqualTo(200);
    }

    @Test
    void a_connection_that_dribbles_its_request_body_is_closed() throws Exception {
        LocalHub hub = requests.hub();
        RawConnection dribbling = open(RawConnection.tls(hub));
        String body = "{\"tags\":{\"slow\":\"" + "x".repeat(200) + "\"}}";
        dribbling.send("PATCH /twins/" + DEVICE + "?api-version=2021-04-12 HTTP/1.1\r\nHost: " + hub.hostName()
                + "\r\nAuthorization: " + new ServiceRestClient(hub).tokenFor("iothubowner")
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n");

        dribbling.dribbleUntilClosedByHub(body, Duration.ofMillis(200));
    }

    @Test
    void a_keep_alive_connection_left_unused_after_a_response_is_closed() throws Exception {
        LocalHub hub = requests.hub();
        RawConnection connection = open(RawConnection.tls(hub));
        connection.send(RawConnection.twinRequest(hub, DEVICE));

        assertThat(connection.readResponse()).startsWith("HTTP/1.1 200");
        connection.awaitClosedByHub();
    }

    @Test
    void a_connection_that_keeps_making_requests_is_served_past_the_request_timeout() throws Exception {
        LocalHub hub = requests.hub();
        RawConnection connection = open(RawConnection.tls(hub));
        assertThat(connection.keepAsking(RawConnection.twinRequest(hub, DEVICE), SHORT.multipliedBy(3)))
                .isGreaterThan(1);
    }

    @Test
    void an_idle_keep_alive_connection_is_closed() throws Exception {
        LocalHub hub = idle.hub();
        RawConnection connection = open(RawConnection.tls(hub));
        connection.send(RawConnection.twinRequest(hub, DEVICE));

        assertThat(connection.readResponse()).startsWith("HTTP/1.1 200");
        connection.awaitClosedByHub();
    }

    @Test
    void a_connection_whose_body_stops_arriving_is_closed() throws Exception {
        LocalHub hub = idle.hub();
        RawConnection connection = open(RawConnection.tls(hub));
        connection.send("PATCH /twins/" + DEVICE + "?api-version=2021-04-12 HTTP/1.1\r\nHost: " + hub.hostName()
                + "\r\nAuthorization: " + new ServiceRestClient(hub).tokenFor("iothubowner")
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"tags\":");

        assertThat(twinStatus(hub)).isEqualTo(200);
        connection.awaitClosedByHub();
    }

    @Test
    void beyond_its_cap_the_port_closes_new_connections_serves_the_open_ones_and_accepts_again_when_they_end()
            throws Exception {
        LocalHub hub = capped.hub();
        String request = RawConnection.twinRequest(hub, DEVICE);
        List<RawConnection> full = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawConnection connection = open(RawConnection.tls(hub));
            // answered, so counted: connections in flight on different event loops may be counted in any order
            connection.send(request);
            assertThat(connection.readResponse()).startsWith("HTTP/1.1 200");
            full.add(connection);
        }

        RawConnection refused = open(RawConnection.tls(hub));
        refused.awaitClosedByHub();
        for (RawConnection connection : full) {
            connection.send(request);
            assertThat(connection.readResponse()).startsWith("HTTP/1.1 200");
        }

        for (RawConnection connection : full) {
            connection.close();
        }
        await().atMost(RawConnection.CLOSE_BOUND).ignoreExceptions().until(() -> {
            try (RawConnection again = RawConnection.tls(hub)) {
                again.send(request);
                return again.readResponse().startsWith("HTTP/1.1 200");
            }
        });
    }
}
