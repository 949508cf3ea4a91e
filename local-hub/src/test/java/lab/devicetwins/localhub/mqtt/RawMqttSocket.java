package lab.devicetwins.localhub.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import lab.devicetwins.localhub.LocalHub;

/**
 * A TLS connection to the hub's MQTT port that sends bytes exactly as given and reads what comes back packet by
 * packet, each read bounded by {@link #READ_BOUND}: for tests that must see the hub answer or close, not hang.
 */
public final class RawMqttSocket implements AutoCloseable {
    /** How long one read waits for the hub before the test calls the connection hung. */
    public static final Duration READ_BOUND = Duration.ofSeconds(10);

    /** One MQTT control packet from the hub: its first byte (type and flags) and the bytes after the length. */
    public record Packet(int typeAndFlags, byte[] body) {
        public int type() {
            return typeAndFlags >> 4;
        }

        /** The topic of a PUBLISH, decoded as UTF-8. */
        public String publishTopic() {
            if (type() != 3 || body.length < 2) {
                throw new IllegalStateException("not a PUBLISH: " + this);
            }
            int length = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
            return new String(body, 2, Math.min(length, body.length - 2), StandardCharsets.UTF_8);
        }

        /** The payload of a PUBLISH (after topic and, for QoS above 0, the packet id). */
        public byte[] publishPayload() {
            int length = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
            int start = 2 + length + (((typeAndFlags >> 1) & 3) > 0 ? 2 : 0);
            return start >= body.length ? new byte[0] : Arrays.copyOfRange(body, start, body.length);
        }

        @Override
        public String toString() {
            return String.format("Packet[0x%02X, %d bytes]", typeAndFlags, body.length);
        }
    }

    /** What the hub sent until it closed the connection, or until a read waited longer than the bound. */
    public record Ending(List<Packet> packets, byte[] rawBytes, boolean closedByHub) {
    }

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawMqttSocket(SSLSocket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) READ_BOUND.toMillis());
        socket.startHandshake();
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects with TLS, trusting the hub's development CA; no MQTT packet is sent yet. */
    public static RawMqttSocket open(LocalHub hub) throws IOException {
        return open(hub, hub.clientSslContext());
    }

    /** Connects with TLS as {@code tls} says (e.g. presenting a client certificate); no MQTT packet is sent yet. */
    public static RawMqttSocket open(LocalHub hub, SSLContext tls) throws IOException {
        return new RawMqttSocket((SSLSocket) tls.getSocketFactory().createSocket(hub.hostName(), hub.mqttPort()));
    }

    /**
     * Sends a CONNECT (MQTT 3.1.1, CleanSession 0) as the device SDK would for {@code clientId} with this password (null:
     * none, as for an X.509 device) and returns the CONNACK's return code, or -1 when the hub closed the connection
     * without one.
     *
     * @throws SocketTimeoutException when the hub neither answers nor closes within {@link #READ_BOUND}
     */
    public int connect(LocalHub hub, String clientId, String password, int keepAliveSeconds) throws IOException {
        String username = RawMqttDevice.username(hub, clientId);
        send(password == null ? MqttFrames.connectWithoutPassword(clientId, username, keepAliveSeconds)
                : MqttFrames.connect(clientId, username, password, keepAliveSeconds));
        Packet connack;
        try {
            connack = readPacket();
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("the hub neither answered the CONNECT nor closed within " + READ_BOUND);
        }
        if (connack == null) {
            return -1;
        }
        if (connack.typeAndFlags() != 0x20 || connack.body().length != 2) {
            throw new IOException("the hub answered a CONNECT with " + connack + " instead of a CONNACK");
        }
        return connack.body()[1] & 0xFF;
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends what the hub still takes: it may close the connection before all the bytes are in, which is allowed. */
    public void sendLeniently(byte[] bytes) {
        try {
            send(bytes);
        } catch (IOException e) {
            // the hub stopped reading; what it said before closing is read next
        }
    }

    /**
     * The next packet from the hub, or null when it closed the connection.
     *
     * @throws SocketTimeoutException when the hub neither sends nor closes within {@link #READ_BOUND}
     */
    public Packet readPacket() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int length = 0;
        int multiplier = 1;
        for (int i = 0; ; i++) {
            int digit = in.read();
            if (digit < 0) {
                throw new EOFException("the connection ended inside a fixed header");
            }
            length += (digit & 0x7F) * multiplier;
            multiplier *= 128;
            if ((digit & 0x80) == 0) {
                break;
            }
            if (i == 3) {
                throw new IOException("the hub sent a remaining length of more than four bytes");
            }
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("the connection ended inside a packet");
        }
        return new Packet(first, body);
    }

    /** Reads packets until the hub closes the connection or a read waits longer than {@link #READ_BOUND}. */
    public Ending readUntilClosed() {
        List<Packet> packets = new ArrayList<>();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try {
            while (true) {
                Packet packet = readPacket();
                if (packet == null) {
                    return new Ending(packets, raw.toByteArray(), true);
                }
                packets.add(packet);
                raw.write(packet.typeAndFlags());
                raw.writeBytes(packet.body());
            }
        } catch (SocketTimeoutException e) {
            return new Ending(packets, raw.toByteArray(), false);
        } catch (IOException e) {
            // a reset, or a close in the middle of a packet: closed all the same
            return new Ending(packets, raw.toByteArray(), true);
        }
    }

    /**
     * Ends the client's side of the connection (TLS close_notify, then a TCP half-close) while still reading: a test's
     * way of saying "nothing more is coming", so a hub waiting for the rest of a packet must close instead of waiting.
     */
    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // the hub has closed already
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
