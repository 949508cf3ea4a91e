package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceConnectionState;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinConnectionState;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The device SDK's connection life cycle against the local hub: reconnect after a drop with its subscriptions intact,
 * connection state and times as the service SDK sees them, telemetry, and a wrong key.
 */
class DeviceConnectionOverMqttTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final SettableClock CLOCK = new SettableClock();

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).clock(CLOCK));

    private OfficialSdks sdks;
    private String deviceId;
    private final List<DeviceClient> opened = new CopyOnWriteArrayList<>();

    @BeforeEach
    void registerDevice(TestInfo test) throws Exception {
        sdks = new OfficialSdks(localHub.hub());
        deviceId = "conn-" + Integer.toHexString(test.getTestMethod().orElseThrow().getName().hashCode());
        sdks.registry().addDevice(new Device(deviceId));
    }

    @AfterEach
    void closeDevices() throws Exception {
        for (DeviceClient client : opened) {
            client.close();
        }
        sdks.registry().removeDevice(deviceId);
    }

    private DeviceClient openDevice() throws Exception {
        DeviceClient client = sdks.device(deviceId);
        opened.add(client);
        client.open(false);
        return client;
    }

    /** The twin passes the hub's text on; the registry client re-formats it as UTC without a zone. */
    private static Instant instant(String sdkTime) {
        return sdkTime.endsWith("Z") ? Instant.parse(sdkTime)
                : LocalDateTime.parse(sdkTime).toInstant(ZoneOffset.UTC);
    }

    @Test
    void after_the_hub_drops_the_connection_the_sdk_reconnects_and_desired_changes_still_arrive() throws Exception {
        DeviceClient device = sdks.device(deviceId);
        opened.add(device);
        List<IotHubConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        device.setConnectionStatusChangeCallback(change -> statuses.add(change.getNewStatus()), null);
        device.open(false);
        List<TwinCollection> received = new CopyOnWriteArrayList<>();
        device.subscribeToDesiredProperties((twin, ctx) -> received.add(twin.getDesiredProperties()), null);
        DeviceTwinRequests.getTwin(device);

        localHub.hub().dropConnection(deviceId);

        await().atMost(BOUND).until(() -> statuses.contains(IotHubConnectionStatus.DISCONNECTED_RETRYING)
                && statuses.get(statuses.size() - 1) == IotHubConnectionStatus.CONNECTED);
        TwinClient twins = sdks.twins();
        var twin = twins.get(deviceId);
        twin.getDesiredProperties().put("afterReconnect", true);
        twins.patch(twin);
        await().atMost(BOUND).until(() -> received.stream().anyMatch(d -> d.containsKey("afterReconnect")));
        assertThat(statuses).startsWith(IotHubConnectionStatus.CONNECTED, IotHubConnectionStatus.DISCONNECTED_RETRYING);
        assertThat(DeviceTwinRequests.getTwin(device).getDesiredProperties()).containsEntry("afterReconnect", true);
    }

    @Test
    void connection_state_and_its_times_follow_the_device_in_the_registry_and_the_twin() throws Exception {
        Instant connectedAt = CLOCK.advanceSeconds(60);
        DeviceClient device = openDevice();

        Device connected = sdks.registry().getDevice(deviceId);
        assertThat(connected.getConnectionState()).isEqualTo(DeviceConnectionState.Connected);
        assertThat(instant(connected.getConnectionStateUpdatedTime())).isEqualTo(connectedAt);
        assertThat(instant(connected.getLastActivityTime())).isEqualTo(connectedAt);
        assertThat(sdks.twins().get(deviceId).getConnectionState()).isEqualTo(TwinConnectionState.CONNECTED.toString());

        Instant sentAt = CLOCK.advanceSeconds(60);
        device.sendEvent(new Message("{\"temperature\":21.5}".getBytes(StandardCharsets.UTF_8)));

        Device active = sdks.registry().getDevice(deviceId);
        assertThat(instant(active.getLastActivityTime())).isEqualTo(sentAt);
        assertThat(instant(active.getConnectionStateUpdatedTime())).isEqualTo(connectedAt);
        assertThat(instant(sdks.twins().get(deviceId).getLastActivityTime())).isEqualTo(sentAt);

        Instant closedAt = CLOCK.advanceSeconds(60);
        device.close();
        opened.remove(device);

        await().atMost(BOUND).until(() -> sdks.registry().getDevice(deviceId).getConnectionState()
                == DeviceConnectionState.Disconnected);
        Device disconnected = sdks.registry().getDevice(deviceId);
        assertThat(instant(disconnected.getConnectionStateUpdatedTime())).isEqualTo(closedAt);
        assertThat(sdks.twins().get(deviceId).getConnectionState()).isEqualTo(TwinConnectionState.DISCONNECTED.toString());
    }

    @Test
    void telemetry_is_accepted() throws Exception {
        DeviceClient device = openDevice();
        Message message = new Message("{\"humidity\":40}".getBytes(StandardCharsets.UTF_8));
        message.setProperty("alert", "none");
        message.setContentType("application/json");

        device.sendEvent(message, 30_000);

        assertThat(sdks.registry().getDevice(deviceId).getConnectionState()).isEqualTo(DeviceConnectionState.Connected);
    }

    @Test
    void open_without_retry_and_a_wrong_key_fails_with_an_authentication_error() throws Exception {
        byte[] wrongKey = new byte[32];
        new SecureRandom().nextBytes(wrongKey);
        LocalHub hub = localHub.hub();
        DeviceClient device = sdks.deviceWithConnectionString("HostName=" + hub.hostName() + ";DeviceId=" + deviceId
                + ";SharedAccessKey=" + Base64.getEncoder().encodeToString(wrongKey));

        IotHubClientException error = catchThrowableOfType(IotHubClientException.class, () -> device.open(false));

        assertThat(error).isNotNull();
        assertThat(error.getStatusCode()).isEqualTo(IotHubStatusCode.UNAUTHORIZED);
        assertThat(error.isRetryable()).isFalse();
        assertThat(sdks.registry().getDevice(deviceId).getConnectionState()).isEqualTo(DeviceConnectionState.Disconnected);
    }
}
