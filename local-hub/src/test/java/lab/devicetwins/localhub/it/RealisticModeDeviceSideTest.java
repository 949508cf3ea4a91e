package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.mqtt.MqttFrames;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.mqtt.RawMqttSocket;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.localhub.realism.Operation;
import lab.devicetwins.localhub.realism.Tier;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import lab.devicetwins.localhub.sdk.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Realistic mode on the device side and for tokens: a new identity's first connections are refused with CONNACK 3
 * for a moment (and the device SDK's retry gets it in), a tier profile accepts a token some minutes past its expiry
 * (clock skew) and disconnects a device some minutes after its token expired, and telemetry past its throttle ends the
 * connection without an acknowledgement.
 */
class RealisticModeDeviceSideTest {
    private LocalHub hub;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final List<String> requestLog = new CopyOnWriteArrayList<>();

    private LocalHub start(HubProfile profile, SettableClock clock) {
        LocalHub.Builder builder = LocalHub.builder().inMemory().httpsPort(0).profile(profile.withQueryLag(Duration.ZERO))
                .requestLog(requestLog::add);
        hub = (clock == null ? builder : builder.clock(clock)).start();
        return hub;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    private RawMqttSocket socket() throws Exception {
        RawMqttSocket socket = RawMqttSocket.open(hub);
        clients.add(socket);
        return socket;
    }

    private int connect(String deviceId, Instant tokenExpiry) throws Exception {
        String token = RawMqttDevice.token(hub, deviceId, RawMqttDevice.primaryKey(hub, deviceId), tokenExpiry);
        return socket().connect(hub, deviceId, token, 60);
    }

    @Test
    void aNewDeviceIsRefusedWithServerUnavailableUntilItHasPropagated() throws Exception {
        start(HubProfile.of(Tier.S1, 1).withIdentityPropagation(Duration.ofMillis(1500)), null);
        new OfficialSdks(hub).registry().addDevice(new Device("fresh"));
        Instant expiry = Instant.now().plusSeconds(3600);
        assertThat(connect("fresh", expiry)).isEqualTo(3);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> connect("fresh", expiry) == 0);
        assertThat(requestLog).anySatisfy(line -> assertThat(line).contains("fresh", "identity propagation"));
    }

    @Test
    void theDeviceSdkRetriesUntilItsNewIdentityHasPropagated() throws Exception {
        start(HubProfile.of(Tier.S1, 1).withIdentityPropagation(Duration.ofSeconds(1)), null);
        OfficialSdks sdks = new OfficialSdks(hub);
        sdks.registry().addDevice(new Device("fresh-sdk"));
        DeviceClient device = sdks.device("fresh-sdk");
        clients.add(device::close);
        device.open(true);
        assertThat(requestLog).anySatisfy(line -> assertThat(line).contains("fresh-sdk", "identity propagation"));
    }

    @Test
    void theLocalProfileLetsANewDeviceConnectAtOnce() throws Exception {
        start(HubProfile.local(), null);
        new OfficialSdks(hub).registry().addDevice(new Device("fresh"));
        assertThat(connect("fresh", Instant.now().plusSeconds(3600))).isZero();
    }

    @Test
    void aTierProfileAcceptsTokensWithinTheClockSkewAndRefusesOlderOnes() throws Exception {
        SettableClock clock = new SettableClock();
        Instant now = clock.set(Instant.now());
        start(HubProfile.of(Tier.S1, 1).withIdentityPropagation(Duration.ZERO), clock);
        String device = LocalHub.DEFAULT_DEVICE_ID;
        assertThat(connect(device, now.minusSeconds(120))).as("2 min past se").isZero();
        assertThat(connect(device, now.minusSeconds(310))).as("5 min 10 s past se").isEqualTo(5);
        ServiceRestClient rest = new ServiceRestClient(hub);
        assertThat(registryGet(rest, now.minusSeconds(120)).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = registryGet(rest, now.minusSeconds(310));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("allows 300 s of clock skew");
    }

    @Test
    void theLocalProfileRefusesATokenTheSecondItExpires() throws Exception {
        SettableClock clock = new SettableClock();
        Instant now = clock.set(Instant.now());
        start(HubProfile.local(), clock);
        assertThat(connect(LocalHub.DEFAULT_DEVICE_ID, now.minusSeconds(1))).isEqualTo(5);
        assertThat(registryGet(new ServiceRestClient(hub), now.minusSeconds(1)).statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> registryGet(ServiceRestClient rest, Instant expiry) throws Exception {
        return rest.send(rest.request("/devices/" + LocalHub.DEFAULT_DEVICE_ID + "?api-version=2021-04-12")
                .header("Authorization", rest.tokenFor("iothubowner", expiry)).GET());
    }

    @Test
    void aConnectedDeviceIsDisconnectedOnlyAfterItsTokensGrace() throws Exception {
        start(HubProfile.of(Tier.S1, 1).withIdentityPropagation(Duration.ZERO)
                .withConnectedTokenGrace(Duration.ofSeconds(2)), null);
        Instant expiry = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 2);
        RawMqttSocket socket = socket();
        String device = LocalHub.DEFAULT_DEVICE_ID;
        assertThat(socket.connect(hub, device, RawMqttDevice.token(hub, device, RawMqttDevice.primaryKey(hub, device),
                expiry), 60)).isZero();
        RawMqttSocket.Ending ending = socket.readUntilClosed();
        Instant closed = Instant.now();
        assertThat(ending.closedByHub()).isTrue();
        assertThat(closed).isAfterOrEqualTo(expiry.plusSeconds(2));
    }

    @Test
    void telemetryPastItsThrottleEndsTheConnectionAndIsNotAcknowledged() throws Exception {
        start(HubProfile.of(Tier.S1, 1).withIdentityPropagation(Duration.ZERO).withShapingLimit(Duration.ZERO), null);
        RawMqttSocket socket = socket();
        String device = LocalHub.DEFAULT_DEVICE_ID;
        assertThat(socket.connect(hub, device, RawMqttDevice.token(hub, device, RawMqttDevice.primaryKey(hub, device),
                Instant.now().plusSeconds(3600)), 60)).isZero();
        // 100/s on S1, all at once when idle
        int sent = 300;
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int i = 1; i <= sent; i++) {
            frames.writeBytes(MqttFrames.publish("devices/" + device + "/messages/events/", ("{\"n\":" + i + "}")
                    .getBytes(StandardCharsets.UTF_8), 1, i));
        }
        socket.sendLeniently(frames.toByteArray());
        RawMqttSocket.Ending ending = socket.readUntilClosed();
        assertThat(ending.closedByHub()).isTrue();
        long acknowledged = ending.packets().stream().filter(p -> p.type() == 4).count();
        assertThat(acknowledged).isBetween(100L, (long) sent - 1);
        assertThat(hub.throttleCounts().get(Operation.DEVICE_TO_CLOUD).throttled()).isPositive();
    }
}
