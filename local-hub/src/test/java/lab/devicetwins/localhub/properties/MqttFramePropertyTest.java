package lab.devicetwins.localhub.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.Generate.enumValues;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.attack.HubReplies;
import lab.devicetwins.localhub.mqtt.MqttFrames;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.mqtt.RawMqttSocket;
import lab.devicetwins.localhub.mqtt.RawMqttSocket.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quicktheories.core.Gen;

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

    @RegisterExtension
    static final AttackedHub attacked = AttackedHub.seeding(List.of(DEVICE));

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

    /** One to three mutations, each of any kind, anywhere in the packet, with any byte. */
    private static Gen<List<FrameMutation>> mutations() {
        return lists().of(enumValues(FrameMutation.Kind.class).zip(range(0, 1000), range(0, 255), FrameMutation::new))
                .ofSizeBetween(1, 3);
    }

    /** A CONNECT's mutations and the keep-alive it asks for. */
    record ConnectCase(List<FrameMutation> mutations, int keepAlive) {
    }

    /** A packet sent after a good CONNECT, and its mutations. */
    record PacketCase(DevicePacket packet, List<FrameMutation> mutations) {
    }

    /**
     * 100 mutated CONNECTs (at most 3 seconds of them), each followed by the filler its header claims and the
     * client's end: the hub sends only well-formed server packets and closes the connection. At least one CONNECT in
     * twenty is still answered (a CONNACK, mostly 5: the mutation broke the password) and a third get nothing, so
     * both the hub's answers and its silent closes are checked.
     */
    @Test
    void a_mutated_connect_is_answered_with_at_most_a_connack_or_the_connection_is_closed() {
        Coverage answers = new Coverage("the hub sends");
        Gen<ConnectCase> cases = mutations().zip(pick(List.of(0, 1, 60, 230)), ConnectCase::new);
        PropertyRun.forAll(100, 3, cases, connectCase -> sendConnect(connectCase, answers));
        answers.assertAtLeast("a packet", 5).assertAtLeast("nothing", 33);
    }

    private static void sendConnect(ConnectCase connectCase, Coverage answers) throws Exception {
        LocalHub hub = attacked.hub();
        byte[] connect = FrameMutation.applyAll(MqttFrames.connect(DEVICE, RawMqttDevice.username(hub, DEVICE), token(),
                connectCase.keepAlive()), connectCase.mutations());

        try (RawMqttSocket socket = RawMqttSocket.open(hub)) {
            socket.sendLeniently(connect);
            socket.sendLeniently(FrameMutation.filler(connect));
            // nothing more comes: a hub still waiting for the rest of a packet must now close
            socket.shutdownOutput();
            RawMqttSocket.Ending ending = socket.readUntilClosed();

            answers.count(ending.packets().isEmpty() ? "nothing" : "a packet");
            assertWellFormed(ending.packets());
            assertThat(ending.closedByHub()).as("closed within %s", RawMqttSocket.READ_BOUND).isTrue();
        }
    }

    /**
     * 100 mutated packets after a good CONNECT (at most 8 seconds of them), followed by a PINGREQ and the client's
     * end: the hub sends only well-formed server packets (twin responses in strict JSON) and closes the connection.
     * Most mutations are fatal (a broken header, a topic the device may not use) and the hub closes before the
     * PINGREQ: at least half the cases get no PINGRESP. About one in twelve does (a mutated payload, packet id or
     * QoS the hub answers or ignores); that is too few for a share to be checked without failing now and then, so
     * the run checks that at least one case got it.
     */
    @Test
    void a_mutated_packet_after_connect_is_answered_or_the_connection_is_closed() {
        Coverage pings = new Coverage("the hub still answered the PINGREQ");
        PropertyRun.forAll(100, 8, enumValues(DevicePacket.class).zip(mutations(), PacketCase::new),
                packetCase -> sendAfterConnect(packetCase, pings));
        pings.assertAtLeast(false, 50).assertSeen(true);
    }

    private static void sendAfterConnect(PacketCase packetCase, Coverage pings) throws Exception {
        LocalHub hub = attacked.hub();
        byte[] mutated = FrameMutation.applyAll(packetCase.packet().bytes(), packetCase.mutations());

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

            pings.count(ending.packets().stream().anyMatch(p -> p.type() == 13));
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
