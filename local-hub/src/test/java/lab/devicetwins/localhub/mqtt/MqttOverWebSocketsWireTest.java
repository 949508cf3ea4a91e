package lab.devicetwins.localhub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.http.ConnectionLimits;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The WebSocket side of the HTTPS port on the wire (contract §16): the handshake Paho checks, refusals of every other
 * upgrade, and MQTT bytes cut or packed across WebSocket frames in ways the SDKs never do.
 */
class MqttOverWebSocketsWireTest {
    private static final String DEVICE = "ws-wire-device";
    private static final String PATH = "/$iothub/websocket?iothub-no-client-cert=true";
    /** Short, so a silent connection is seen being closed, and so a quiet device outlives several idle timeouts. */
    private static final Duration LIMIT = Duration.ofSeconds(2);

    static final List<String> LOG = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.mqttPort(0).httpsPort(0)
            .seedDevices(List.of(DEVICE)).requestLog(LOG::add)
            .connectionLimits(ConnectionLimits.defaults().withMqttConnectTimeout(LIMIT).withIdleTimeout(LIMIT)
                    .withRequestTimeout(LIMIT).withTunnelIdleTimeout(LIMIT)));

    private RawWebSocket socket;

    @AfterEach
    void close() throws Exception {
        if (socket != null) {
            socket.close();
        }
    }

    private RawWebSocket upgraded() throws Exception {
        socket = RawWebSocket.open(localHub.hub());
        RawWebSocket.HandshakeAnswer answer = socket.handshake(PATH, "mqtt");
        assertThat(answer.status()).as(answer.body()).isEqualTo(101);
        return socket;
    }

    private static byte[] connectPacket() {
        LocalHub hub = localHub.hub();
        String token = RawMqttDevice.token(hub, DEVICE, RawMqttDevice.primaryKey(hub, DEVICE),
                Instant.now().plusSeconds(3600));
        return MqttFrames.connect(DEVICE, RawMqttDevice.username(hub, DEVICE), token, 230);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void the_handshake_answer_is_what_paho_checks() throws Exception {
        socket = RawWebSocket.open(localHub.hub());

        RawWebSocket.HandshakeAnswer answer = socket.handshake(PATH, "mqtt");

        assertThat(answer.status()).isEqualTo(101);
        assertThat(answer.headers().get("sec-websocket-protocol")).isEqualTo("mqtt");
        assertThat(answer.headers().get("sec-websocket-accept")).isEqualTo(socket.expectedAccept());
        assertThat(answer.headers().get("connection")).isEqualToIgnoringCase("upgrade");
        assertThat(answer.headers().get("upgrade")).containsIgnoringCase("websocket");
    }

    @Test
    void the_query_is_ignored_and_mqtt_is_picked_from_a_list_of_subprotocols() throws Exception {
        socket = RawWebSocket.open(localHub.hub());

        RawWebSocket.HandshakeAnswer answer = socket.handshake("/$iothub/websocket", "mqttv3.1, mqtt");

        assertThat(answer.status()).isEqualTo(101);
        assertThat(answer.headers().get("sec-websocket-protocol")).isEqualTo("mqtt");
    }

    @ParameterizedTest(name = "{0} with subprotocol {1}")
    @CsvSource(nullValues = "none", textBlock = """
            /mqtt,                             mqtt,      404, 404000
            /devices/ws-wire-device,           mqtt,      404, 404000
            /$iothub/websocket/extra,          mqtt,      404, 404000
            /$iothub/websocket,                none,      400, 400004
            /$iothub/websocket,                mqttv5,    400, 400004
            /$iothub/websocket,                AMQPWSB10, 400, 400004
            """)
    void every_other_upgrade_is_refused_with_an_iot_hub_error(String path, String subprotocol, int status, int code)
            throws Exception {
        socket = RawWebSocket.open(localHub.hub());

        RawWebSocket.HandshakeAnswer answer = socket.handshake(path, subprotocol);

        assertThat(answer.status()).isEqualTo(status);
        String inner = JsonParser.parseString(answer.body()).getAsJsonObject().get("Message").getAsString();
        assertThat(JsonParser.parseString(inner).getAsJsonObject().get("errorCode").getAsInt()).isEqualTo(code);
        assertThat(answer.body()).doesNotContain("java.").doesNotContain("lab.devicetwins");
    }

    @Test
    void amqp_over_websockets_is_refused_as_not_implemented() throws Exception {
        socket = RawWebSocket.open(localHub.hub());

        RawWebSocket.HandshakeAnswer answer = socket.handshake(PATH, "AMQPWSB10");

        assertThat(answer.body()).contains("AMQP over WebSockets").contains("not implemented");
    }

    @Test
    void a_connect_cut_across_frames_and_continuations_is_answered() throws Exception {
        RawWebSocket ws = upgraded();
        byte[] connect = connectPacket();

        ws.sendFrame(RawWebSocket.BINARY, true, Arrays.copyOfRange(connect, 0, 1));
        ws.sendFrame(RawWebSocket.BINARY, false, Arrays.copyOfRange(connect, 1, 7));
        ws.sendFrame(RawWebSocket.CONTINUATION, false, Arrays.copyOfRange(connect, 7, 20));
        ws.sendFrame(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(connect, 20, connect.length));

        RawMqttSocket.Packet connack = ws.readMqttPacket();
        assertThat(connack.type()).isEqualTo(2);
        assertThat(connack.body()[1]).isEqualTo((byte) 0);
    }

    @Test
    void several_packets_in_one_frame_are_each_answered() throws Exception {
        RawWebSocket ws = upgraded();

        ws.sendBinary(concat(connectPacket(), MqttFrames.subscribe(1, "$iothub/twin/res/#"),
                MqttFrames.publish("$iothub/twin/GET/?$rid=42", new byte[0], 1, 2), MqttFrames.pingRequest()));

        assertThat(ws.readMqttPacket().type()).as("CONNACK first").isEqualTo(2);
        // the SUBACK waits for the store, so the others may overtake it
        List<RawMqttSocket.Packet> rest = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rest.add(ws.readMqttPacket());
        }
        assertThat(rest).extracting(RawMqttSocket.Packet::type).as("SUBACK, PUBACK, PUBLISH, PINGRESP")
                .containsExactlyInAnyOrder(9, 4, 3, 13);
        RawMqttSocket.Packet response = rest.stream().filter(p -> p.type() == 3).findFirst().orElseThrow();
        assertThat(response.publishTopic()).isEqualTo("$iothub/twin/res/200/?$rid=42");
        assertThat(new String(response.publishPayload(), StandardCharsets.UTF_8)).contains("\"desired\"");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not-mqtt", "zeros"})
    void garbage_in_binary_frames_closes_the_connection(String kind) throws Exception {
        RawWebSocket ws = upgraded();

        ws.sendBinary(kind.equals("zeros") ? new byte[64] : "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(ws.closedByHub()).isTrue();
    }

    @Test
    void bytes_that_are_no_websocket_frame_close_the_connection() throws Exception {
        RawWebSocket ws = upgraded();

        ws.sendRaw(new byte[] {(byte) 0x8F, (byte) 0x05, 1, 2, 3}); // a fragmented control frame, unmasked

        assertThat(ws.closedByHub()).isTrue();
    }

    @Test
    void a_text_frame_closes_the_connection() throws Exception {
        RawWebSocket ws = upgraded();

        ws.sendFrame(RawWebSocket.TEXT, true, connectPacket());

        assertThat(ws.closedByHub()).isTrue();
    }

    @Test
    void a_websocket_that_never_sends_connect_is_closed_after_the_connect_timeout() throws Exception {
        RawWebSocket ws = upgraded();

        assertThat(ws.closedByHub()).isTrue();
    }

    @Test
    void a_quiet_device_outlives_the_https_idle_and_request_timeouts() throws Exception {
        RawWebSocket ws = upgraded();
        ws.sendBinary(connectPacket());
        assertThat(ws.readMqttPacket().type()).isEqualTo(2);

        Thread.sleep(LIMIT.multipliedBy(3).toMillis()); // quiet for three idle timeouts, well inside its keep-alive
        ws.sendBinary(MqttFrames.pingRequest());

        assertThat(ws.readMqttPacket().type()).as("PINGRESP").isEqualTo(13);
    }

    @Test
    void a_connection_over_websockets_is_closed_when_its_token_expires() throws Exception {
        RawWebSocket ws = upgraded();
        LocalHub hub = localHub.hub();
        String shortToken = RawMqttDevice.token(hub, DEVICE, RawMqttDevice.primaryKey(hub, DEVICE),
                Instant.now().plusSeconds(3));
        ws.sendBinary(MqttFrames.connect(DEVICE, RawMqttDevice.username(hub, DEVICE), shortToken, 230));
        assertThat(ws.readMqttPacket().body()[1]).as("CONNACK accepted").isEqualTo((byte) 0);

        assertThat(ws.closedByHub()).isTrue();
        assertThat(LOG).anyMatch(line -> line.contains(DEVICE) && line.contains("expired"));
    }

    @Test
    void the_upgrade_is_in_the_request_log() throws Exception {
        upgraded();

        assertThat(LOG).anyMatch(line -> line.contains("/$iothub/websocket") && line.contains("101"));
    }
}
