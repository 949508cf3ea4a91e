package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceConnectionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.http.ConnectionLimits;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where the hub's HTTPS is not on 443 (Linux without root), a device using MQTT over WebSockets reaches it as the
 * service SDK does: {@code ClientOptions.proxySettings} to the hub's CONNECT proxy, which tunnels {@code host:443} to
 * the HTTPS port and its WebSocket endpoint.
 */
class MqttOverWebSocketsThroughProxyTest {
    /** Short, so the test can watch a quiet device outlive the proxy's and the HTTPS port's idle timeouts. */
    private static final Duration IDLE = Duration.ofSeconds(2);

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0)
            .connectionLimits(ConnectionLimits.defaults().withTunnelIdleTimeout(IDLE).withIdleTimeout(IDLE)));

    private OfficialSdks sdks;
    private String deviceId;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void registerDevice(TestInfo test) throws Exception {
        sdks = new OfficialSdks(localHub.hub());
        deviceId = "ws-proxy-" + Integer.toHexString(test.getTestMethod().orElseThrow().getName().hashCode());
        sdks.registry().addDevice(new Device(deviceId));
    }

    @AfterEach
    void removeDevice() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        sdks.registry().removeDevice(deviceId);
    }

    @Test
    void a_device_with_the_hubs_proxy_in_its_proxy_settings_reports_and_reads_its_twin() throws Exception {
        LocalHub hub = localHub.hub();
        assertThat(hub.httpsOnStandardPort()).isFalse();
        DeviceClient device = sdks.deviceOverWebSockets(deviceId); // ProxySettings to hub.proxyAddress()
        clients.add(device::close);
        device.open(false);
        device.subscribeToDesiredProperties((twin, ctx) -> { }, null);
        TwinCollection reported = new TwinCollection();
        reported.put("route", "proxy");

        DeviceTwinRequests.updateReportedProperties(device, reported);

        assertThat(DeviceTwinRequests.getTwin(device).getReportedProperties()).containsEntry("route", "proxy");
        assertThat(sdks.registry().getDevice(deviceId).getConnectionState()).isEqualTo(DeviceConnectionState.Connected);
    }

    @Test
    void a_quiet_device_behind_the_proxy_stays_connected_past_the_tunnel_idle_timeout() throws Exception {
        DeviceClient device = sdks.deviceOverWebSockets(deviceId);
        clients.add(device::close);
        List<IotHubConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        device.setConnectionStatusChangeCallback(change -> statuses.add(change.getNewStatus()), null);
        device.open(false);
        device.subscribeToDesiredProperties((twin, ctx) -> { }, null);

        Thread.sleep(IDLE.multipliedBy(3).toMillis()); // quiet for three idle timeouts, inside its 230 s keep-alive

        assertThat(DeviceTwinRequests.getTwin(device).getDesiredProperties().getVersion()).isEqualTo(1);
        assertThat(statuses).containsExactly(IotHubConnectionStatus.CONNECTED);
    }
}
