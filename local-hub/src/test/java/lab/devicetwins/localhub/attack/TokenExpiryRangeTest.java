package lab.devicetwins.localhub.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.mqtt.MqttFrames;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.mqtt.RawMqttSocket;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A correctly signed token whose {@code se} is no instant the hub can work with (beyond year 9999 and what
 * {@code Instant} holds, negative, zero, not an integer, beyond a long) is refused like an expired one: HTTPS 401
 * without any trace of the hub's insides, MQTT CONNACK 5 and the connection closed, whatever the keep-alive. Every
 * answer comes within {@link RawMqttSocket#READ_BOUND} / {@link ServiceOperation#ANSWER_BOUND}.
 */
class TokenExpiryRangeTest {
    private static final String DEVICE = "expiry-device";
    /** 9999-12-31T23:59:59Z: far away, but an instant every clock and date format can hold. */
    private static final long YEAR_9999 = 253_402_300_799L;

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).mqttPort(0).seedDevices(List.of(DEVICE)));

    private static SentinelTwins twins;

    @BeforeAll
    static void fillTwin() throws Exception {
        twins = SentinelTwins.seed(localHub.hub(), List.of(DEVICE));
    }

    /** A token with {@code se} exactly as given, signed over {@code sr + "\n" + se} as the hub verifies it. */
    private static String signedToken(String resource, String key, String policyOrNull, String se) {
        String sr = URLEncoder.encode(resource, StandardCharsets.UTF_8);
        String token = "SharedAccessSignature sr=" + sr + "&sig="
                + URLEncoder.encode(SasSignature.of(key, sr, se), StandardCharsets.UTF_8) + "&se=" + se;
        return policyOrNull == null ? token : token + "&skn=" + policyOrNull;
    }

    private static String serviceToken(String se) {
        LocalHub hub = localHub.hub();
        return signedToken(hub.hostName(), ServiceRestClient.keyOf(hub.ownerConnectionString()), "iothubowner", se);
    }

    private static String deviceToken(String se) {
        LocalHub hub = localHub.hub();
        return signedToken(hub.hostName() + "/devices/" + DEVICE, RawMqttDevice.primaryKey(hub, DEVICE), null, se);
    }

    @ParameterizedTest(name = "se={0}")
    @ValueSource(strings = {"100000000000000000", "-100000000000000000", "9223372036854775807", "-9223372036854775808",
            "10000000000000000", "-1", "0", "1e3", "99999999999999999999"})
    void a_service_token_with_an_expiry_out_of_range_is_refused_with_401(String se) throws Exception {
        ServiceRestClient rest = new ServiceRestClient(localHub.hub());
        Map<String, String> before = twins.read();

        HttpResponse<byte[]> read = ServiceOperation.of("GET", "/twins/" + DEVICE).sendWith(rest, serviceToken(se));
        HttpResponse<byte[]> patch = ServiceOperation.of("PATCH", "/twins/" + DEVICE,
                "{\"properties\":{\"desired\":{\"expiry\":1}}}").sendWith(rest, serviceToken(se));

        HubReplies.assertRefused(read, 401, 401002);
        HubReplies.assertRefused(patch, 401, 401002);
        twins.assertUnchanged(before);
    }

    @ParameterizedTest(name = "se={0}")
    @ValueSource(strings = {"100000000000000000", "-100000000000000000", "9223372036854775807", "-9223372036854775808",
            "10000000000000000", "-1", "0", "1e3", "99999999999999999999"})
    void a_device_token_with_an_expiry_out_of_range_is_refused_with_connack_5_and_closed(String se) throws Exception {
        LocalHub hub = localHub.hub();
        Map<String, String> before = twins.read();
        for (int keepAlive : new int[] {0, 230}) {
            try (RawMqttSocket socket = RawMqttSocket.open(hub)) {
                int code = socket.connect(hub, DEVICE, deviceToken(se), keepAlive);

                assertThat(code).as("CONNACK with se=%s and keep-alive %d", se, keepAlive).isEqualTo(5);
                assertThat(socket.readUntilClosed().closedByHub())
                        .as("the hub closes the refused connection (keep-alive %d)", keepAlive).isTrue();
            } finally {
                // a hub that wrongly accepted the token has the device connected now
                twins.awaitDisconnected();
            }
        }
        twins.assertUnchanged(before);
    }

    @Test
    void a_service_token_that_expires_in_the_year_9999_is_accepted() throws Exception {
        HttpResponse<byte[]> read = ServiceOperation.of("GET", "/twins/" + DEVICE)
                .sendWith(new ServiceRestClient(localHub.hub()), serviceToken(String.valueOf(YEAR_9999)));

        HubReplies.assertWellFormed(read);
        assertThat(read.statusCode()).as(HubReplies.text(read)).isEqualTo(200);
    }

    @Test
    void a_device_token_that_expires_in_the_year_9999_connects_and_the_device_can_read_its_twin() throws Exception {
        LocalHub hub = localHub.hub();
        try (RawMqttSocket socket = RawMqttSocket.open(hub)) {
            assertThat(socket.connect(hub, DEVICE, deviceToken(String.valueOf(YEAR_9999)), 0)).isZero();
            socket.send(MqttFrames.subscribe(1, "$iothub/twin/res/#"));
            assertThat(socket.readPacket().type()).as("SUBACK").isEqualTo(9);
            socket.send(MqttFrames.publish("$iothub/twin/GET/?$rid=9999", new byte[0], 0, 0));

            RawMqttSocket.Packet response = socket.readPacket();

            assertThat(response.publishTopic()).isEqualTo("$iothub/twin/res/200/?$rid=9999");
            socket.send(MqttFrames.disconnect());
        } finally {
            twins.awaitDisconnected();
        }
    }
}
