package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.http.ConnectionLimits;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connections to the CONNECT proxy that never become a tunnel, and tunnels nobody uses, are closed; the proxy holds
 * no more connections than its cap; the service SDK gets through all the while. The HTTPS port behind the proxy keeps
 * limits far above {@link RawConnection#CLOSE_BOUND}, so a closed tunnel shows that the proxy closed it.
 */
class ConnectProxyLimitsTest {
    private static final String DEVICE = LocalHub.DEFAULT_DEVICE_ID;
    private static final Duration SHORT = Duration.ofSeconds(1);
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final ConnectionLimits ALL_LONG = ConnectionLimits.defaults().withRequestTimeout(LONG)
            .withIdleTimeout(LONG).withTunnelIdleTimeout(LONG);

    @RegisterExtension
    static LocalHubExtension quickRequests = hubWith(ALL_LONG.withRequestTimeout(SHORT));
    @RegisterExtension
    static LocalHubExtension idleTunnels = hubWith(ALL_LONG.withTunnelIdleTimeout(SHORT));
    @RegisterExtension
    static LocalHubExtension capped = hubWith(ALL_LONG.withMaxConnectionsPerPort(2));

    private final List<RawConnection> opened = new ArrayList<>();

    private static LocalHubExtension hubWith(ConnectionLimits limits) {
        return LocalHubExtension.with(b -> b.mqttPort(0).httpsPort(0).connectionLimits(limits));
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

    private static String connectRequest(LocalHub hub) {
        return "CONNECT " + hub.hostName() + ":443 HTTP/1.1\r\nHost: " + hub.hostName() + ":443\r\n\r\n";
    }

    @Test
    void a_connection_that_sends_no_request_is_answered_408_and_closed_while_the_sdk_gets_through() throws Exception {
        LocalHub hub = quickRequests.hub();
        RawConnection silent = open(RawConnection.proxy(hub));

        assertThat(new OfficialSdks(hub).twins().get(DEVICE).getDeviceId()).isEqualTo(DEVICE);
        assertThat(silent.readResponse()).startsWith("HTTP/1.1 408");
        silent.awaitClosedByHub();
    }

    @Test
    void a_connection_that_dribbles_its_connect_request_is_closed() throws Exception {
        LocalHub hub = quickRequests.hub();
        RawConnection dribbling = open(RawConnection.proxy(hub));

        // a byte every 200 ms would restart any idle timeout: only the request timeout ends this
        dribbling.dribbleUntilClosedByHub("CONNECT " + hub.hostName() + ":443 HTTP/1.1\r\nX-Padding: " + "x".repeat(100),
                Duration.ofMillis(200));
    }

    @Test
    void a_tunnel_that_carries_nothing_is_closed() throws Exception {
        RawConnection tunnel = open(RawConnection.tunnel(idleTunnels.hub()));

        tunnel.awaitClosedByHub();
    }

    @Test
    void a_tunnel_in_use_is_kept_past_the_tunnel_idle_timeout() throws Exception {
        LocalHub hub = idleTunnels.hub();
        RawConnection tunnel = open(RawConnection.tunnel(hub));
        assertThat(tunnel.keepAsking(RawConnection.twinRequest(hub, DEVICE), SHORT.multipliedBy(3)))
                .isGreaterThan(1);
    }

    @Test
    void beyond_its_cap_the_proxy_answers_503_serves_the_open_tunnels_and_accepts_again_when_they_end()
            throws Exception {
        LocalHub hub = capped.hub();
        // established, so counted: connections in flight on different event loops may be counted in any order
        List<RawConnection> full = List.of(open(RawConnection.tunnel(hub)), open(RawConnection.tunnel(hub)));

        RawConnection refused = open(RawConnection.proxy(hub));
        assertThat(refused.readResponse()).startsWith("HTTP/1.1 503");
        refused.awaitClosedByHub();
        for (RawConnection tunnel : full) {
            tunnel.send(RawConnection.twinRequest(hub, DEVICE));
            assertThat(tunnel.readResponse()).startsWith("HTTP/1.1 200");
        }

        for (RawConnection tunnel : full) {
            tunnel.close();
        }
        await().atMost(RawConnection.CLOSE_BOUND).ignoreExceptions().until(() -> {
            try (RawConnection again = RawConnection.tunnel(hub)) {
                again.send(RawConnection.twinRequest(hub, DEVICE));
                return again.readResponse().startsWith("HTTP/1.1 200");
            }
        });
    }
}
