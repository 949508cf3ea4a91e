package lab.devicetwins.localhub.properties;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * One change to the bytes of an MQTT packet: a bit flipped, a byte set, inserted or deleted, the packet cut short, or
 * its remaining length made to lie (too short, too long, huge, or in five bytes where MQTT allows four).
 *
 * @param perMille where in the packet, as a fraction of its length
 * @param value    the byte, bit or length change, depending on the kind
 */
record FrameMutation(Kind kind, int perMille, int value) {
    enum Kind { FLIP_BIT, SET_BYTE, INSERT_BYTE, DELETE_BYTE, TRUNCATE, LYING_LENGTH, HUGE_LENGTH, FIVE_BYTE_LENGTH }

    /** Largest claim the sender still backs with filler bytes; bigger ones the hub must refuse from the header. */
    private static final int LARGEST_FILLED_CLAIM = 300_000;

    static byte[] applyAll(byte[] packet, List<FrameMutation> mutations) {
        byte[] bytes = packet;
        for (FrameMutation mutation : mutations) {
            bytes = mutation.apply(bytes);
        }
        return bytes;
    }

    byte[] apply(byte[] packet) {
        int at = (int) ((long) packet.length * perMille / 1000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (kind) {
            case FLIP_BIT -> {
                byte[] copy = packet.clone();
                if (at < copy.length) {
                    copy[at] ^= (byte) (1 << (value & 7));
                }
                return copy;
            }
            case SET_BYTE -> {
                byte[] copy = packet.clone();
                if (at < copy.length) {
                    copy[at] = (byte) value;
                }
                return copy;
            }
            case INSERT_BYTE -> {
                out.write(packet, 0, at);
                out.write(value);
                out.write(packet, at, packet.length - at);
                return out.toByteArray();
            }
            case DELETE_BYTE -> {
                out.write(packet, 0, at);
                if (at < packet.length) {
                    out.write(packet, at + 1, packet.length - at - 1);
                }
                return out.toByteArray();
            }
            case TRUNCATE -> {
                return Arrays.copyOf(packet, Math.max(1, at));
            }
            default -> {
                int[] header = header(packet);
                if (header == null) {
                    return packet;
                }
                int claimed = header[0];
                int length = switch (kind) {
                    case LYING_LENGTH -> Math.max(0, claimed + (value % 80) - 16);
                    case HUGE_LENGTH -> 268_435_455;
                    default -> claimed;
                };
                out.write(packet[0]);
                if (kind == Kind.FIVE_BYTE_LENGTH) {
                    out.writeBytes(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01});
                } else {
                    writeLength(out, length);
                }
                out.write(packet, header[1], packet.length - header[1]);
                return out.toByteArray();
            }
        }
    }

    /**
     * Zero bytes that make up what the packet's header claims beyond what it carries, so the hub reads a whole packet
     * and the next bytes start a new one; none when the claim is malformed, met, or too big to send.
     */
    static byte[] filler(byte[] packet) {
        int[] header = header(packet);
        if (header == null) {
            return new byte[0];
        }
        int missing = header[0] - (packet.length - header[1]);
        return missing > 0 && missing <= LARGEST_FILLED_CLAIM ? new byte[missing] : new byte[0];
    }

    /** The remaining length a packet claims and where its body starts, or null when the header is malformed. */
    private static int[] header(byte[] packet) {
        int length = 0;
        int multiplier = 1;
        for (int i = 1; i < packet.length && i <= 4; i++) {
            length += (packet[i] & 0x7F) * multiplier;
            multiplier *= 128;
            if ((packet[i] & 0x80) == 0) {
                return new int[] {length, i + 1};
            }
        }
        return null;
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
    }
}
