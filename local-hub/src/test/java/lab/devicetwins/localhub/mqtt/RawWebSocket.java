package lab.devicetwins.localhub.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import lab.devicetwins.localhub.LocalHub;

/**
 * A WebSocket client on a plain TLS socket to the hub's HTTPS port, for what the SDKs never send: other paths and
 * subprotocols, frames cut anywhere, text frames, garbage. Frames it sends are masked, as a client's must be; MQTT
 * packets are read from the binary frames the hub sends, wherever those frames split them.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int BINARY = 0x2;
    public static final int TEXT = 0x1;
    public static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PONG = 0xA;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The status line, the headers (names lower-cased) and the body of the handshake's answer. */
    public record HandshakeAnswer(int status, Map<String, String> headers, String body) {
    }

    private final SSLSocket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final SecureRandom random = new SecureRandom();
    private final ByteArrayOutputStream mqttBytes = new ByteArrayOutputStream();
    private int mqttRead;
    private String key;

    private RawWebSocket(SSLSocket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) RawMqttSocket.READ_BOUND.toMillis());
        socket.startHandshake();
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** TLS to the hub's HTTPS port, trusting its development CA; nothing sent yet. */
    public static RawWebSocket open(LocalHub hub) throws IOException {
        return new RawWebSocket((SSLSocket) hub.clientSslContext().getSocketFactory()
                .createSocket(hub.hostName(), hub.httpsPort()));
    }

    /** As the device SDK's Paho sends it, with this path and {@code Sec-WebSocket-Protocol} (null: none). */
    public HandshakeAnswer handshake(String pathAndQuery, String subprotocol) throws IOException {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        key = Base64.getEncoder().encodeToString(nonce);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + socket.getInetAddress().getHostAddress()
                + ":443\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
                + (subprotocol == null ? "" : "Sec-WebSocket-Protocol: " + subprotocol + "\r\n")
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String statusLine = readLine();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        String body = "";
        if (status != 101 && headers.containsKey("content-length")) {
            byte[] bytes = new byte[Integer.parseInt(headers.get("content-length"))];
            in.readFully(bytes);
            body = new String(bytes, StandardCharsets.UTF_8);
        }
        return new HandshakeAnswer(status, headers, body);
    }

    /** The {@code Sec-WebSocket-Accept} the last handshake's key calls for (RFC 6455 §4.2.2). */
    public String expectedAccept() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One masked frame. */
    public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        out.write(frame(opcode, fin, payload));
        out.flush();
    }

    /** The bytes of one masked frame, as a client sends it. */
    public byte[] frame(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /** A whole binary frame. */
    public void sendBinary(byte[] payload) throws IOException {
        sendFrame(BINARY, true, payload);
    }

    /** Bytes that are no WebSocket frame at all, or not a whole one. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * The next MQTT packet from the binary frames the hub sends (pongs skipped), or null once the hub
     * has closed the WebSocket or the connection.
     *
     * @throws SocketTimeoutException when nothing comes within {@link RawMqttSocket#READ_BOUND}
     */
    public RawMqttSocket.Packet readMqttPacket() throws IOException {
        while (true) {
            RawMqttSocket.Packet packet = parseBuffered();
            if (packet != null) {
                return packet;
            }
            if (!readFrameIntoBuffer()) {
                return null;
            }
        }
    }

    /** What the hub sent until it closed, or until a read waited longer than the bound. */
    public record Ending(java.util.List<RawMqttSocket.Packet> packets, boolean closedByHub) {
    }

    /**
     * Reads MQTT packets until the hub closes the WebSocket or the connection.
     *
     * @throws IllegalStateException when the hub sends what no WebSocket server may (a masked or unknown frame)
     */
    public Ending readUntilClosed() {
        return readUntilClosed(RawMqttSocket.READ_BOUND);
    }

    /** As {@link #readUntilClosed()}, giving up when a read waits longer than {@code bound}. */
    public Ending readUntilClosed(java.time.Duration bound) {
        try {
            socket.setSoTimeout(Math.toIntExact(bound.toMillis()));
        } catch (SocketException e) {
            return new Ending(java.util.List.of(), true);
        }
        java.util.List<RawMqttSocket.Packet> packets = new java.util.ArrayList<>();
        try {
            for (RawMqttSocket.Packet packet = readMqttPacket(); packet != null; packet = readMqttPacket()) {
                packets.add(packet);
            }
            return new Ending(packets, true);
        } catch (SocketTimeoutException e) {
            return new Ending(packets, false);
        } catch (IOException e) {
            return new Ending(packets, true); // a reset, or a close in the middle of a frame
        }
    }

    /** Ends the client's side (TLS close_notify and a half-close) while still reading: nothing more is coming. */
    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // the hub has closed already
        }
    }

    /** Reads until the hub closes; true when it did (close frame or end of stream) within the read bound. */
    public boolean closedByHub() {
        try {
            while (readFrameIntoBuffer()) {
                // MQTT bytes the hub sent before closing are not looked at
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the hub
        }
    }

    private boolean readFrameIntoBuffer() throws IOException {
        while (true) {
            int first;
            try {
                first = in.read();
            } catch (SocketException e) {
                return false;
            }
            if (first < 0) {
                return false;
            }
            int second = in.readUnsignedByte();
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            if ((second & 0x80) != 0) {
                throw new IllegalStateException("the hub sent a masked frame; server frames are never masked");
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            int opcode = first & 0x0F;
            if (opcode == CLOSE) {
                return false;
            }
            if (opcode == PONG) {
                continue; // the answer to a ping the test sent; Paho never sends one
            }
            if (opcode == BINARY) {
                mqttBytes.write(payload);
                return true;
            } else {
                throw new IllegalStateException("the hub sent a frame with opcode " + opcode
                        + "; Paho reads only binary and close frames");
            }
        }
    }

    /** A whole MQTT packet from the bytes read so far, or null when more are needed. */
    private RawMqttSocket.Packet parseBuffered() {
        byte[] bytes = mqttBytes.toByteArray();
        int at = mqttRead;
        if (bytes.length - at < 2) {
            return null;
        }
        int typeAndFlags = bytes[at++] & 0xFF;
        int remaining = 0;
        int multiplier = 1;
        int digit;
        do {
            if (at >= bytes.length) {
                return null;
            }
            digit = bytes[at++] & 0xFF;
            remaining += (digit & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        if (bytes.length - at < remaining) {
            return null;
        }
        byte[] body = new byte[remaining];
        System.arraycopy(bytes, at, body, 0, remaining);
        mqttRead = at + remaining;
        return new RawMqttSocket.Packet(typeAndFlags, body);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the hub closed the connection in the middle of its answer");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
    }

    /** Leaves without a close frame, as a network failure would. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
