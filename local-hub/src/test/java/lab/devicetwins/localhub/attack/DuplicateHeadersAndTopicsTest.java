package lab.devicetwins.localhub.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.auth.SasToken;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.mqtt.MqttFrames;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.mqtt.RawMqttSocket;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ambiguous requests are refused rather than read one way: a request with two {@code Authorization} headers is 401
 * (which one would count?), and a PUBLISH whose topic holds U+0000 ends the connection, as MQTT 3.1.1 §1.5.3 requires
 * of any string with it, without the hub ever sending that topic back.
 */
class DuplicateHeadersAndTopicsTest {
    private static final String DEVICE = "duplicate-device";
    private static final String SENTINEL = "duplicate-sentinel";
    private static final String DESIRED_PATCH = "{\"properties\":{\"desired\":{\"twice\":1}}}";

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).mqttPort(0).seedDevices(List.of(DEVICE, SENTINEL)));

    private static SentinelTwins twins;

    @BeforeAll
    static void fillTwin() throws Exception {
        twins = SentinelTwins.seed(localHub.hub(), List.of(DEVICE, SENTINEL));
    }

    private static String ownerToken() {
        return new ServiceRestClient(localHub.hub()).tokenFor("iothubowner");
    }

    /** Signed correctly, but for another device: valid on its own only for that device. */
    private static String tokenForAnotherDevice() {
        LocalHub hub = localHub.hub();
        return SasToken.create(hub.hostName() + "/devices/someone-else",
                ServiceRestClient.keyOf(hub.ownerConnectionString()), "iothubowner", Instant.now().plusSeconds(3600));
    }

    static Stream<Arguments> a_request_with_two_authorization_headers_is_refused_with_401() {
        return Stream.of(
                Arguments.of("the same owner token twice", ownerToken(), ownerToken()),
                Arguments.of("an owner token, then garbage", ownerToken(), "SharedAccessSignature sr=x&sig=y&se=1"),
                Arguments.of("garbage, then an owner token", "Bearer x", ownerToken()),
                Arguments.of("a token for another device, then an owner token", tokenForAnotherDevice(), ownerToken()),
                Arguments.of("an owner token, then an empty one", ownerToken(), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void a_request_with_two_authorization_headers_is_refused_with_401(String what, String first, String second)
            throws Exception {
        ServiceRestClient rest = new ServiceRestClient(localHub.hub());
        Map<String, String> before = twins.read();

        HttpResponse<byte[]> patch = rest.sendForBytes(ServiceOperation.of("PATCH", "/twins/" + DEVICE, DESIRED_PATCH)
                .request(rest).header("Authorization", first).header("Authorization", second));
        HttpResponse<byte[]> read = rest.sendForBytes(ServiceOperation.of("GET", "/twins/" + DEVICE)
                .request(rest).header("Authorization", first).header("Authorization", second));

        HubReplies.assertRefused(patch, 401, 401002);
        HubReplies.assertRefused(read, 401, 401002);
        twins.assertUnchanged(before);
    }

    @ParameterizedTest(name = "topic {0}")
    @ValueSource(strings = {"$iothub/twin/GET/?$rid=a\u0000b", "$iothub/twin/GET/?$rid=\u0000",
            "$iothub/twin/PATCH/properties/reported/?$rid=nul\u0000", "$iothub/twin/PATCH/properties/reported/\u0000?$rid=1",
            "devices/" + DEVICE + "/messages/events/\u0000", "\u0000$iothub/twin/GET/?$rid=1"})
    void a_publish_whose_topic_holds_u0000_ends_the_connection_and_the_topic_never_comes_back(String topic)
            throws Exception {
        LocalHub hub = localHub.hub();
        Map<String, String> before = twins.read();
        String deviceBefore = SentinelTwins.contentOf(hub, DEVICE);
        try (RawMqttSocket socket = RawMqttSocket.open(hub)) {
            String token = RawMqttDevice.token(hub, DEVICE, RawMqttDevice.primaryKey(hub, DEVICE),
                    Instant.now().plusSeconds(3600));
            assertThat(socket.connect(hub, DEVICE, token, 230)).isZero();
            socket.send(MqttFrames.subscribe(1, "$iothub/twin/res/#"));
            assertThat(socket.readPacket().type()).as("SUBACK").isEqualTo(9);

            socket.sendLeniently(MqttFrames.publish(topic, "{\"nul\":1}".getBytes(StandardCharsets.UTF_8), 1, 2));
            RawMqttSocket.Ending ending = socket.readUntilClosed();

            assertThat(ending.packets()).as("no twin response, nothing with the topic").noneMatch(p -> p.type() == 3);
            assertThat(new String(ending.rawBytes(), StandardCharsets.UTF_8)).doesNotContain("\u0000b", "nul\u0000");
            assertThat(ending.closedByHub()).as("the hub closes the connection within %s", RawMqttSocket.READ_BOUND)
                    .isTrue();
        } finally {
            twins.awaitDisconnected();
        }
        assertThat(SentinelTwins.contentOf(hub, DEVICE)).as("the publisher's own twin").isEqualTo(deviceBefore);
        assertThat(twins.read().get(SENTINEL)).isEqualTo(before.get(SENTINEL));
    }
}
