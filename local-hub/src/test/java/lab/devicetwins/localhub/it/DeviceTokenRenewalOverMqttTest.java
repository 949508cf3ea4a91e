package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Contract §1.6: over MQTT the device SDK does not renew its SAS token by itself; it relies on the hub closing the
 * connection when the token expires, then reconnects with a new one. With a short token lifetime that cycle is
 * watched end to end.
 */
class DeviceTokenRenewalOverMqttTest {
    private static final String DEVICE = "renewing-device";

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).seedDevices(List.of(DEVICE)));

    @Test
    void when_its_token_expires_the_hub_closes_the_connection_and_the_sdk_comes_back_with_a_new_token()
            throws Exception {
        LocalHub hub = localHub.hub();
        OfficialSdks sdks = new OfficialSdks(hub);
        DeviceClient device = sdks.deviceWithConnectionString(hub.deviceConnectionString(DEVICE),
                ClientOptions.builder().sasTokenExpiryTime(5));
        List<IotHubConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        device.setConnectionStatusChangeCallback(change -> statuses.add(change.getNewStatus()), null);
        List<TwinCollection> received = new CopyOnWriteArrayList<>();
        try {
            device.open(false);
            device.subscribeToDesiredProperties((twin, ctx) -> received.add(twin.getDesiredProperties()), null);

            await().atMost(Duration.ofSeconds(60)).until(() -> statuses.contains(IotHubConnectionStatus.DISCONNECTED_RETRYING)
                    && statuses.get(statuses.size() - 1) == IotHubConnectionStatus.CONNECTED);

            TwinClient twins = sdks.twins();
            var twin = twins.get(DEVICE);
            twin.getDesiredProperties().put("renewed", true);
            twins.patch(twin);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.stream().anyMatch(d -> d.containsKey("renewed")));
            assertThat(statuses).doesNotContain(IotHubConnectionStatus.DISCONNECTED);
            assertThat(sdks.registry().getDevice(DEVICE).getConnectionState().toString()).isEqualTo("Connected");
        } finally {
            device.close();
        }
    }
}
