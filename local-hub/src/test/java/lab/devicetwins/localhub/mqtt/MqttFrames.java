package lab.devicetwins.localhub.mqtt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** MQTT 3.1.1 packets written by hand, so a test can send exactly the bytes it wants, broken ones included. */
public final class MqttFrames {
    private MqttFrames() {
    }

    /** A CONNECT of MQTT 3.1.1 with username, password and CleanSession 0. */
    public static byte[] connect(String clientId, String username, String password, int keepAliveSeconds) {
        return connect(4, clientId, username, password, keepAliveSeconds);
    }

    /** A CONNECT with username, password and CleanSession 0; level 4 is MQTT 3.1.1, 5 is MQTT 5. */
    public static byte[] connect(int protocolLevel, String clientId, String username, String password, int keepAliveSeconds) {
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

    /**
     * A CONNECT of MQTT 3.1.1 with a user name, no password and CleanSession 0 (flags 0x80): what the device SDK
     * sends for an X.509 device.
     */
    public static byte[] connectWithoutPassword(String clientId, String username, int keepAliveSeconds) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(4);
        body.write(0x80);
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds & 0xFF);
        string(body, clientId);
        string(body, username);
        return packet(0x10, body.toByteArray());
    }

    /** A PUBLISH; the packet id is written only for QoS 1 and 2. */
    public static byte[] publish(String topic, byte[] payload, int qos, int packetId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        if (qos > 0) {
            body.write(packetId >> 8);
            body.write(packetId & 0xFF);
        }
        body.writeBytes(payload);
        return packet(0x30 | (qos << 1), body.toByteArray());
    }

    /** A SUBSCRIBE to one filter at QoS 1. */
    public static byte[] subscribe(int packetId, String filter) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        string(body, filter);
        body.write(1);
        return packet(0x82, body.toByteArray());
    }

    /** Only the fixed header of a packet that claims {@code remainingLength} bytes. */
    public static byte[] header(int typeAndFlags, int remainingLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(typeAndFlags);
        remainingLength(out, remainingLength);
        return out.toByteArray();
    }

    /** A PINGREQ: a connected client's way of asking "are you still there?"; the answer is a PINGRESP. */
    public static byte[] pingRequest() {
        return new byte[] {(byte) 0xC0, 0x00};
    }

    /** A DISCONNECT: the client's goodbye, after which the server closes the connection. */
    public static byte[] disconnect() {
        return new byte[] {(byte) 0xE0, 0x00};
    }

    /** A fixed header with the remaining length of {@code body}, then the body. */
    public static byte[] packet(int typeAndFlags, byte[] body) {
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
