package lab.devicetwins.localhub.mqtt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** MQTT 3.1.1 packets written by hand, so a test can send exactly the bytes it wants, broken ones included. */
final class MqttFrames {
    private MqttFrames() {
    }

    static byte[] connect(String clientId, String username, String password, int keepAliveSeconds) {
        return connect(4, clientId, username, password, keepAliveSeconds);
    }

    /** A CONNECT with username, password and CleanSession 0; level 4 is MQTT 3.1.1, 5 is MQTT 5. */
    static byte[] connect(int protocolLevel, String clientId, String username, String password, int keepAliveSeconds) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(protocolLevel);
        body.write(0xC0);
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds & 0xFF);
        if (protocolLevel == 5) {
            body.write(0); // no CONNECT properties
        }
        string(body, clientId);
        string(body, username);
        string(body, password);
        return packet(0x10, body.toByteArray());
    }

    static byte[] publish(String topic, byte[] payload, int qos, int packetId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        if (qos > 0) {
            body.write(packetId >> 8);
            body.write(packetId & 0xFF);
        }
        body.writeBytes(payload);
        return packet(0x30 | (qos << 1), body.toByteArray());
    }

    static byte[] subscribe(int packetId, String filter) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        string(body, filter);
        body.write(1);
        return packet(0x82, body.toByteArray());
    }

    /** Only the fixed header of a packet that claims {@code remainingLength} bytes. */
    static byte[] header(int typeAndFlags, int remainingLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(typeAndFlags);
        remainingLength(out, remainingLength);
        return out.toByteArray();
    }

    static byte[] packet(int typeAndFlags, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(typeAndFlags, body.length));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void remainingLength(ByteArrayOutputStream out, int length) {
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }
}
