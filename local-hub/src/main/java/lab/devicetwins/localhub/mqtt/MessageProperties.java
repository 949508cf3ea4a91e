package lab.devicetwins.localhub.mqtt;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The property bag at the end of an IoT Hub message topic: {@code k=v} pairs joined by {@code &}, both sides
 * percent-encoded (the Java SDK encodes a space as {@code %20}, never {@code +}, so a {@code +} stays a {@code +}).
 * System properties keep their {@code $.} names ({@code $.mid}, {@code $.cid}, ...); application properties are the
 * rest. Reading is forgiving: a pair without {@code =} or with broken percent-encoding is skipped, as the hub cannot
 * tell what it meant, and a key given twice keeps its first value.
 */
final class MessageProperties {
    static final String MESSAGE_ID = "$.mid";

    private MessageProperties() {
    }

    static Map<String, String> parse(String bag) {
        Map<String, String> properties = new LinkedHashMap<>();
        String text = bag.endsWith("/") ? bag.substring(0, bag.length() - 1) : bag;
        if (text.isEmpty()) {
            return properties;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            Optional<String> key = decode(pair.substring(0, eq));
            Optional<String> value = decode(pair.substring(eq + 1));
            if (key.isPresent() && value.isPresent()) {
                properties.putIfAbsent(key.get(), value.get());
            }
        }
        return properties;
    }

    /**
     * Percent-encoding as the SDKs read it back: UTF-8, everything but letters, digits and {@code - . _ *} escaped,
     * and a space as {@code %20} (Node's {@code decodeURIComponent} would keep a {@code +}).
     */
    static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Percent-decoding of UTF-8; empty for a malformed escape or bytes that are no UTF-8. */
    static Optional<String> decode(String encoded) {
        if (encoded.indexOf('%') < 0) {
            return Optional.of(encoded);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(encoded.charAt(i + 1), 16);
                int lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < encoded.length()) {
                    utf8 = encoded.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
