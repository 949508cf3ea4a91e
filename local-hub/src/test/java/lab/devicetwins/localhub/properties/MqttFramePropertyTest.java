package lab.devicetwins.localhub.properties;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.attack.HubReplies;
import lab.devicetwins.localhub.mqtt.MqttFrames;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.mqtt.RawMqttSocket;
import lab.devicetwins.localhub.mqtt.RawMqttSocket.Packet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Valid CONNECT, PUBLISH, SUBSCRIBE and UNSUBSCRIBE packets with bytes flipped, set, inserted, deleted, cut short or
 * with a lying remaining length, on raw TLS: whatever arrives, the hub answers with well-formed packets only (twin
 * responses in strict JSON, no topic with U+0000), and once the client has ended its side it closes the connection
 * within {@link RawMqttSocket#READ_BOUND}; afterwards it still serves and the sentinel twins are untouched. The client
 * ends its side (TLS close_notify and a half-close) after the mutated bytes, so a hub legitimately waiting for the
 * rest of a packet closes at once instead of after its CONNECT timeout or keep-alive, which the timeout tests cover.
 */
class MqttFramePropertyTest {
    private static final String DEVICE = "frame-device";
    /** Packet types a server sends: CONNACK, PUBLISH, PUBACK, SUBACK, UNSUBACK, PINGRESP. */
    private static final Set<Integer> SERVER_PACKET_TYPES = Set.of(2, 3, 4, 9, 11, 13);

    private static AttackedHub attacked;
    private Map<String, String> sentinelsBefore;

    @BeforeContainer
    static void start() throws Exception {
        attacked = AttackedHub.start(List.of(DEVICE));
    }

    @AfterContainer
    static void stop() {
        attacked.close();
    }

    @BeforeProperty
    void snapshot() throws Exception {
        sentinelsBefore = attacked.sentinelTwins();
    }

    @AfterProperty
    void unharmed() throws Exception {
        attacked.assertUnharmed(sentinelsBefore);
    }

    private static String token() {
        LocalHub hub = attacked.hub();
        return RawMqttDevice.token(hub, DEVICE, RawMqttDevice.primaryKey(hub, DEVICE), Instant.now().plusSeconds(3600));
    }

    /** A packet a device sends once connected, before mutation. */
    enum DevicePacket {
        GET_TWIN_QOS_0, GET_TWIN_QOS_1, REPORTED_PATCH, TELEMETRY, SUBSCRIBE_DESIRED, UNSUBSCRIBE_DESIRED, PING;

        byte[] bytes() {
            return switch (this) {
                case GET_TWIN_QOS_0 -> MqttFrames.publish("$iothub/twin/GET/?$rid=f0", new byte[0], 0, 0);
                case GET_TWIN_QOS_1 -> MqttFrames.publish("$iothub/twin/GET/?$rid=f1", new byte[0], 1, 11);
                case REPORTED_PATCH -> MqttFrames.publish("$iothub/twin/PATCH/properties/reported/?$rid=f2",
                        "{\"frame\":{\"n\":1,\"s\":\"x\"}}".getBytes(StandardCharsets.UTF_8), 1, 12);
                case TELEMETRY -> MqttFrames.publish("devices/" + DEVICE + "/messages/events/",
                        "{\"t\":21.5}".getBytes(StandardCharsets.UTF_8), 1, 13);
                case SUBSCRIBE_DESIRED -> MqttFrames.subscribe(14, "$iothub/twin/PATCH/properties/desired/#");
                case UNSUBSCRIBE_DESIRED -> {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    body.writeBytes(new byte[] {0, 15});
                    byte[] filter = "$iothub/twin/PATCH/properties/desired/#".getBytes(StandardCharsets.UTF_8);
                    body.writeBytes(new byte[] {0, (byte) filter.length});
                    body.writeBytes(filter);
                    yield MqttFrames.packet(0xA2, body.toByteArray());
                }
                case PING -> MqttFrames.pingRequest();
            };
        }
    }

    @Provide
    Arbitrary<List<FrameMutation>> mutations() {
        return Combinators.combine(Arbitraries.of(FrameMutation.Kind.class), Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 255)).as(FrameMutation::new).list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<Integer> keepAlives() {
        return Arbitraries.of(0, 1, 60, 230);
    }

    @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
    void a_mutated_connect_is_answered_with_at_most_a_connack_or_the_connection_is_closed(
            @ForAll("mutations") List<FrameMutation> mutations, @ForAll("keepAlives") int keepAlive) throws Exception {
        LocalHub hub = attacked.hub();
        byte[] connect = FrameMutation.applyAll(
                MqttFrames.connect(DEVICE, RawMqttDevice.username(hub, DEVICE), token(), keepAlive), mutations);

        try (RawMqttSocket socket = RawMqttSocket.open(hub)) {
            socket.sendLeniently(connect);
            socket.sendLeniently(FrameMutation.filler(connect));
            // nothing more comes: a hub still waiting for the rest of a packet must now close
            socket.shutdownOutput();
            RawMqttSocket.Ending ending = socket.readUntilClosed();

            assertWellFormed(ending.packets());
            assertThat(ending.closedByHub()).as("closed within %s", RawMqttSocket.READ_BOUND).isTrue();
        }
    }

    @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
    void a_mutated_packet_after_connect_is_answered_or_the_connection_is_closed(
            @ForAll DevicePacket packet, @ForAll("mutations") List<FrameMutation> mutations) throws Exception {
        LocalHub hub = attacked.hub();
        byte[] mutated = FrameMutation.applyAll(packet.bytes(), mutations);

        try (RawMqttSocket socket = RawMqttSocket.open(hub)) {
            assertThat(socket.connect(hub, DEVICE, token(), 230)).isZero();
            socket.send(MqttFrames.subscribe(1, "$iothub/twin/res/#"));
            assertThat(socket.readPacket().type()).as("SUBACK").isEqualTo(9);

            socket.sendLeniently(mutated);
            socket.sendLeniently(FrameMutation.filler(mutated));
            socket.sendLeniently(MqttFrames.pingRequest());
            // waiting out keep-alives is the timeout tests' business: here the client ends, and the hub must close
            socket.shutdownOutput();
            RawMqttSocket.Ending ending = socket.readUntilClosed();

            Statistics.label("the hub still answered the PINGREQ")
                    .collect(ending.packets().stream().anyMatch(p -> p.type() == 13));
            assertWellFormed(ending.packets());
            assertThat(ending.closedByHub()).as("closed within %s", RawMqttSocket.READ_BOUND).isTrue();
        }
    }

    private static void assertWellFormed(List<Packet> packets) {
        for (Packet packet : packets) {
            assertThat(SERVER_PACKET_TYPES).as("a packet type a server sends: %s", packet).contains(packet.type());
            if (packet.type() == 3) {
                String topic = packet.publishTopic();
                assertThat(topic).as("published topic").startsWith("$iothub/").doesNotContain("\u0000");
                byte[] payload = packet.publishPayload();
                if (payload.length > 0) {
                    HubReplies.strictJson(payload, topic + " " + new String(payload, StandardCharsets.UTF_8));
                }
            }
        }
    }
}
