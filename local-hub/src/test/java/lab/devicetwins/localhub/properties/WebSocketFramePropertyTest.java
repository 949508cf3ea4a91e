package lab.devicetwins.localhub.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.Generate.enumValues;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.attack.HubReplies;
import lab.devicetwins.localhub.mqtt.MqttFrames;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.mqtt.RawMqttSocket;
import lab.devicetwins.localhub.mqtt.RawWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quicktheories.core.Gen;

/**
 * WebSocket frames with bytes flipped, set, inserted or deleted, cut short or with a lying length, after a good
 * upgrade on the HTTPS port; the frame carries a CONNECT, or a twin GET after a good CONNECT, and any opcode. Whatever
 * arrives, the hub sends only binary frames holding well-formed server packets (and close frames), and once the client
 * has ended its side it closes the connection within {@link RawMqttSocket#READ_BOUND}; afterwards REST and MQTT still
 * serve and the sentinel twins are untouched.
 */
class WebSocketFramePropertyTest {
    private static final String DEVICE = "ws-frame-device";
    /** Packet types a server sends: CONNACK, PUBLISH, PUBACK, SUBACK, UNSUBACK, PINGRESP. */
    private static final Set<Integer> SERVER_PACKET_TYPES = Set.of(2, 3, 4, 9, 11, 13);

    @RegisterExtension
    static final AttackedHub attacked = AttackedHub.seeding(List.of(DEVICE));

    /** What the mutated frame carries. */
    enum Carried { CONNECT, GET_TWIN_AFTER_CONNECT }

    /** The frame's content, its opcode before mutation, and the mutations of the whole frame. */
    record FrameCase(Carried carried, int opcode, List<FrameMutation> mutations) {
    }

    private static Gen<List<FrameMutation>> mutations() {
        return lists().of(enumValues(FrameMutation.Kind.class).zip(range(0, 1000), range(0, 255), FrameMutation::new))
                .ofSizeBetween(0, 3);
    }

    private static byte[] connect() {
        LocalHub hub = attacked.hub();
        String token = RawMqttDevice.token(hub, DEVICE, RawMqttDevice.primaryKey(hub, DEVICE),
                Instant.now().plusSeconds(3600));
        return MqttFrames.connect(DEVICE, RawMqttDevice.username(hub, DEVICE), token, 230);
    }

    /**
     * 100 mutated frames (at most 15 seconds of them). Some cases still get their answer (no mutation, or one the hub
     * ignores), others only a close; both are seen.
     */
    @Test
    void a_mutated_websocket_frame_gets_well_formed_packets_or_a_close() {
        Coverage answers = new Coverage("the hub answered the carried packet");
        Gen<FrameCase> cases = enumValues(Carried.class)
                .zip(pick(List.of(RawWebSocket.BINARY, RawWebSocket.BINARY, RawWebSocket.TEXT, RawWebSocket.CONTINUATION,
                        0x9, 0xA, 0x3, 0x8)), mutations(), FrameCase::new);
        PropertyRun.forAll(100, 15, cases, frameCase -> send(frameCase, answers));
        answers.assertSeen(true).assertSeen(false);
    }

    private static void send(FrameCase frameCase, Coverage answers) throws Exception {
        LocalHub hub = attacked.hub();
        try (RawWebSocket ws = RawWebSocket.open(hub)) {
            assertThat(ws.handshake("/$iothub/websocket?iothub-no-client-cert=true", "mqtt").status()).isEqualTo(101);
            byte[] carried;
            if (frameCase.carried() == Carried.CONNECT) {
                carried = connect();
            } else {
                ws.sendBinary(concat(connect(), MqttFrames.subscribe(1, "$iothub/twin/res/#")));
                assertThat(ws.readMqttPacket().type()).as("CONNACK").isEqualTo(2);
                assertThat(ws.readMqttPacket().type()).as("SUBACK").isEqualTo(9);
                carried = MqttFrames.publish("$iothub/twin/GET/?$rid=ws", new byte[0], 0, 0);
            }
            byte[] frame = FrameMutation.applyAll(ws.frame(frameCase.opcode(), true, carried), frameCase.mutations());

            ws.sendRaw(frame);
            // first what the hub answers while the connection stays open, then its close once the client has ended
            // its side, so a hub waiting for the rest of a frame closes at once instead of after a timeout
            RawWebSocket.Ending early = ws.readUntilClosed(Duration.ofMillis(500));
            List<RawMqttSocket.Packet> packets = new ArrayList<>(early.packets());
            boolean closed = early.closedByHub();
            if (!closed) {
                ws.shutdownOutput();
                RawWebSocket.Ending ending = ws.readUntilClosed();
                packets.addAll(ending.packets());
                closed = ending.closedByHub();
            }

            answers.count(!packets.isEmpty());
            for (RawMqttSocket.Packet packet : packets) {
                assertThat(SERVER_PACKET_TYPES).as("a packet type a server sends: %s", packet).contains(packet.type());
                if (packet.type() == 3) {
                    String topic = packet.publishTopic();
                    assertThat(topic).startsWith("$iothub/").doesNotContain("\u0000");
                    byte[] payload = packet.publishPayload();
                    if (payload.length > 0) {
                        HubReplies.strictJson(payload, topic + " " + new String(payload, StandardCharsets.UTF_8));
                    }
                }
            }
            assertThat(closed).as("closed within %s", RawMqttSocket.READ_BOUND).isTrue();
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
