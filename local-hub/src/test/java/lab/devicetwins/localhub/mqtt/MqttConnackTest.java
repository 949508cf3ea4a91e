package lab.devicetwins.localhub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceStatus;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CONNACK return code for each way a CONNECT can be wrong, checked with a raw MQTT client over real TLS. */
class MqttConnackTest {
    private static final String DEVICE = "connack-device";
    private static final String OTHER_DEVICE = "connack-other";
    private static final String DISABLED_DEVICE = "connack-disabled";

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.mqttPort(0).httpsPort(0)
            .seedDevices(List.of(DEVICE, OTHER_DEVICE, DISABLED_DEVICE)));

    @BeforeAll
    static void disableOneDevice() throws Exception {
        var registry = new OfficialSdks(localHub.hub()).registry();
        Device device = registry.getDevice(DISABLED_DEVICE);
        device.setStatus(DeviceStatus.Disabled);
        registry.updateDevice(device);
    }

    /** How a test CONNECT is built: client id and the options for it. */
    interface Connect {
        MqttConnectOptions options(LocalHub hub, RawMqttDevice device);
    }

    private static String validToken(LocalHub hub, String deviceId) {
        return RawMqttDevice.token(hub, deviceId, RawMqttDevice.primaryKey(hub, deviceId), Instant.now().plusSeconds(3600));
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("a token signed with the wrong key", DEVICE, (Connect) (hub, d) -> d.options(
                        RawMqttDevice.token(hub, DEVICE, randomKey(), Instant.now().plusSeconds(3600)), false), 5),
                Arguments.of("an expired token", DEVICE, (Connect) (hub, d) -> d.options(RawMqttDevice.token(hub,
                        DEVICE, RawMqttDevice.primaryKey(hub, DEVICE), Instant.now().minusSeconds(60)), false), 5),
                Arguments.of("a token of another device", DEVICE, (Connect) (hub, d) -> d.options(
                        validToken(hub, OTHER_DEVICE), false), 5),
                Arguments.of("an unknown device", "connack-ghost", (Connect) (hub, d) -> d.options(
                        RawMqttDevice.token(hub, "connack-ghost", randomKey(), Instant.now().plusSeconds(3600)), false), 5),
                Arguments.of("a disabled device", DISABLED_DEVICE, (Connect) (hub, d) -> d.options(
                        validToken(hub, DISABLED_DEVICE), false), 5),
                Arguments.of("a password that is no SAS token", DEVICE, (Connect) (hub, d) -> d.options(
                        "not a token", false), 5),
                Arguments.of("no password", DEVICE, (Connect) (hub, d) -> d.options(null, false), 5),
                Arguments.of("a username naming another client", DEVICE, (Connect) (hub, d) -> {
                    MqttConnectOptions o = d.options(validToken(hub, DEVICE), false);
                    o.setUserName(RawMqttDevice.username(hub, OTHER_DEVICE));
                    return o;
                }, 4),
                Arguments.of("a client id of more than a device and a module", DEVICE + "/module1/x",
                        (Connect) (hub, d) -> d.options(validToken(hub, DEVICE), false), 2),
                Arguments.of("a client id with an empty module id", DEVICE + "/",
                        (Connect) (hub, d) -> d.options(validToken(hub, DEVICE), false), 2),
                Arguments.of("a module that is not registered, with its device's token", DEVICE + "/module1",
                        (Connect) (hub, d) -> {
                            MqttConnectOptions o = d.options(validToken(hub, DEVICE), false);
                            o.setUserName(hub.hostName() + "/" + DEVICE + "/module1/?api-version=2020-09-30");
                            return o;
                        }, 5),
                Arguments.of("MQTT 3.1 (protocol level 3)", DEVICE, (Connect) (hub, d) -> {
                    MqttConnectOptions o = d.options(validToken(hub, DEVICE), false);
                    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1);
                    return o;
                }, 1));
    }

    @ParameterizedTest(name = "{0} is refused with CONNACK {3}")
    @MethodSource("refusals")
    void a_wrong_connect_is_refused_with_the_matching_connack_code(String what, String clientId, Connect connect,
                                                                    int expectedCode) throws Exception {
        LocalHub hub = localHub.hub();
        try (RawMqttDevice device = new RawMqttDevice(hub, clientId)) {
            MqttException refused = catchThrowableOfType(MqttException.class,
                    () -> device.connect(connect.options(hub, device)));

            assertThat(refused).as(what).isNotNull();
            assertThat(refused.getReasonCode()).as(what).isEqualTo(expectedCode);
            assertThat(device.isConnected()).isFalse();
        }
    }

    @Test
    void a_valid_token_is_accepted_and_the_device_can_use_its_twin() throws Exception {
        try (RawMqttDevice device = new RawMqttDevice(localHub.hub(), DEVICE)) {
            device.connect(true);
            device.subscribe("$iothub/twin/res/#");

            RawMqttDevice.Received response = device.getTwin("connack-ok");

            assertThat(response.topic()).isEqualTo("$iothub/twin/res/200/?$rid=connack-ok");
        }
    }

    static Stream<Arguments> otherProtocolLevels() {
        return Stream.of(
                Arguments.of(5, new byte[] {0x20, 0x03, 0x00, (byte) 0x84, 0x00}), // MQTT 5 form: 0x84 unsupported version
                Arguments.of(6, new byte[] {0x20, 0x02, 0x00, 0x01}),
                Arguments.of(200, new byte[] {0x20, 0x02, 0x00, 0x01}));
    }

    @ParameterizedTest(name = "protocol level {0}")
    @MethodSource("otherProtocolLevels")
    void a_connect_with_another_protocol_level_is_refused_and_closed(int level, byte[] expectedConnack)
            throws Exception {
        LocalHub hub = localHub.hub();
        try (SSLSocket socket = (SSLSocket) hub.clientSslContext().getSocketFactory()
                .createSocket(hub.hostName(), hub.mqttPort())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(MqttFrames.connect(level, DEVICE, RawMqttDevice.username(hub, DEVICE),
                    validToken(hub, DEVICE), 230));

            byte[] untilClosed = socket.getInputStream().readAllBytes();

            assertThat(untilClosed).containsExactly(expectedConnack);
        }
    }
}
