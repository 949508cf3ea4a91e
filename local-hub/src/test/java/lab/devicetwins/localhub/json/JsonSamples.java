package lab.devicetwins.localhub.json;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random JSON for property tests, all drawn from one seeded {@link Random} so a failing sample is reproduced by
 * its seed: trees as the hub builds or Gson reads them, byte strings, and documents with a few edits.
 */
final class JsonSamples {
    private static final int MAX_DEPTH = 4;
    private static final int MAX_MEMBERS = 4;
    private static final int MAX_TEXT = 8;
    /** Code points that need escaping, several UTF-8 bytes, or are easy to get wrong. */
    private static final int[] SPECIAL_CODE_POINTS = {0x00, 0x01, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, 0x22, 0x27,
        0x2F, 0x3C, 0x5C, 0x7F, 0x2028, 0xFEFF, 0xFFFD, 0xFFFF};
    /** What an edit inserts or writes most often: JSON's own punctuation and letters... */
    private static final String PUNCTUATION = "{}[],:\"\\/*' \t\n\r-+.0123456789eEtrufalsnNI;xu";
    /** ...and, in bytes, pieces of UTF-8 sequences. */
    private static final byte[] EDIT_BYTES = editValues();
    /** Spellings of a value: valid but unusual, then ones RFC 8259 refuses and lenient parsers guess at. */
    private static final List<byte[]> VALUE_FRAGMENTS = fragments(
            "-0", "0.0", "1E+2", "1e-999", "1e007", "123456789012345678901234567890", "\"\\u00e9\\ud83d\\ude00\"",
            "\"\\/\\b\\f\"", "[ ]", "{ }",
            "01", "-01", "00", "1.", ".5", "+1", "1e", "1e+", "0x1F", "1e999", "-1e999", "NaN", "Infinity", "-Infinity",
            "tru", "True", "nul", "undefined", "'x'", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\ud800\\u0041\"",
            "\"\\x\"", "\"\\u12G4\"", "\"a\nb\"", "\"\\", "[1,]", "{\"a\":1,}", "[1;2]", "/**/1", "1//",
            "\"\u00c3\u00a9\"", "\"\u00f0\u009f\u0098\u0080\"", "\"\u00ed\u009f\u00bf\"",
            "\"\u00ed\u00a0\u0080\"", "\"\u00c0\u00af\"", "\"\u00f4\u0090\u0080\u0080\"", "\"\u00c3\u0028\"",
            "\"\u00ff\"", "\"\u00e0\u0080\u0080\"", "\"\u0080\"", "\u00ef\u00bb\u00bf1");
    /** What may stand between two members or elements instead of a plain comma. */
    private static final List<byte[]> SEPARATOR_FRAGMENTS = fragments(
            " , ", ",\r\n\t", ";", ",,", "//x\n,", "/**/,", "\u00c2\u00a0,", "\f,", "");

    private final Random random;

    JsonSamples(long seed) {
        this.random = new Random(seed);
    }

    /** A tree of up to four levels whose strings are valid Unicode and whose numbers are finite. */
    JsonElement tree() {
        return tree(MAX_DEPTH);
    }

    private JsonElement tree(int levelsLeft) {
        int kind = levelsLeft == 0 ? 0 : random.nextInt(3);
        if (kind == 0) {
            return leaf();
        }
        int members = random.nextInt(MAX_MEMBERS + 1);
        if (kind == 1) {
            JsonArray array = new JsonArray();
            for (int i = 0; i < members; i++) {
                array.add(tree(levelsLeft - 1));
            }
            return array;
        }
        JsonObject object = new JsonObject();
        for (int i = 0; i < members; i++) {
            object.add(text(), tree(levelsLeft - 1));
        }
        return object;
    }

    private JsonElement leaf() {
        int kind = random.nextInt(7);
        if (kind < 3) {
            return new JsonPrimitive(text());
        }
        if (kind < 6) {
            return number();
        }
        return switch (random.nextInt(3)) {
            case 0 -> new JsonPrimitive(true);
            case 1 -> new JsonPrimitive(false);
            default -> JsonNull.INSTANCE;
        };
    }

    /** Up to eight code points, weighted towards the ones that need escaping or several UTF-8 bytes. */
    String text() {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(MAX_TEXT + 1);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(12);
            int codePoint;
            if (kind < 6) {
                codePoint = between(0x20, 0x7E);
            } else if (kind < 8) {
                codePoint = SPECIAL_CODE_POINTS[random.nextInt(SPECIAL_CODE_POINTS.length)];
            } else if (kind < 10) {
                codePoint = between(0x80, 0xD7FF);
            } else if (kind < 11) {
                codePoint = between(0xE000, 0xFFFF);
            } else {
                codePoint = between(0x10000, 0x10FFFF);
            }
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    /** A number as Gson reads it from text of the RFC grammar, or as code builds it (long, double, BigDecimal). */
    private JsonElement number() {
        return switch (random.nextInt(6)) {
            case 0, 1, 2 -> JsonParser.parseString(numberText());
            case 3 -> new JsonPrimitive(random.nextLong());
            case 4 -> new JsonPrimitive(finiteDouble());
            default -> new JsonPrimitive(new BigDecimal(BigInteger.valueOf(random.nextLong()), between(-3, 6)));
        };
    }

    private String numberText() {
        while (true) {
            StringBuilder text = new StringBuilder();
            if (random.nextBoolean()) {
                text.append('-');
            }
            if (random.nextInt(4) == 0) {
                text.append('0');
            } else {
                text.append((char) between('1', '9')).append(digits(random.nextInt(25)));
            }
            if (random.nextBoolean()) {
                text.append('.').append(digits(1 + random.nextInt(6)));
            }
            if (random.nextBoolean()) {
                text.append(random.nextBoolean() ? 'e' : 'E').append(new String[] {"", "+", "-"}[random.nextInt(3)])
                        .append(digits(1 + random.nextInt(3)));
            }
            if (Double.isFinite(Double.parseDouble(text.toString()))) {
                return text.toString();
            }
        }
    }

    private double finiteDouble() {
        while (true) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(value)) {
                return value;
            }
        }
    }

    private String digits(int count) {
        StringBuilder digits = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            digits.append((char) between('0', '9'));
        }
        return digits.toString();
    }

    /** Up to {@code maxLength} uniformly random bytes. */
    byte[] bytes(int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * A tree written by Gson with one to three edits: bytes of its UTF-8 or characters of its text inserted,
     * deleted or replaced (a character edit may split a surrogate pair; the encoder then writes '?', as a
     * client's would), or a tree written with some values, keys and separators spelled unusually or wrongly.
     */
    byte[] mutatedDocument() {
        int kind = random.nextInt(3);
        if (kind == 2) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writeSpliced(tree(), out);
            return out.toByteArray();
        }
        String document = tree().toString();
        int edits = 1 + random.nextInt(3);
        if (kind == 0) {
            byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < edits; i++) {
                bytes = editBytes(bytes);
            }
            return bytes;
        }
        StringBuilder text = new StringBuilder(document);
        for (int i = 0; i < edits; i++) {
            editChars(text);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] editBytes(byte[] bytes) {
        byte value = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : EDIT_BYTES[random.nextInt(EDIT_BYTES.length)];
        int edit = bytes.length == 0 ? 0 : random.nextInt(3);
        if (edit == 0) {
            int at = random.nextInt(bytes.length + 1);
            byte[] longer = new byte[bytes.length + 1];
            System.arraycopy(bytes, 0, longer, 0, at);
            longer[at] = value;
            System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
            return longer;
        }
        int at = random.nextInt(bytes.length);
        if (edit == 1) {
            byte[] changed = bytes.clone();
            changed[at] = value;
            return changed;
        }
        byte[] shorter = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, shorter, 0, at);
        System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
        return shorter;
    }

    private void editChars(StringBuilder text) {
        char value = random.nextInt(4) == 0 ? (char) random.nextInt(0x10000)
                : PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length()));
        int edit = text.length() == 0 ? 0 : random.nextInt(3);
        if (edit == 0) {
            text.insert(random.nextInt(text.length() + 1), value);
        } else if (edit == 1) {
            text.setCharAt(random.nextInt(text.length()), value);
        } else {
            text.deleteCharAt(random.nextInt(text.length()));
        }
    }

    /** Writes the tree as Gson would, but about one value, key or separator in ten spelled from the tables. */
    private void writeSpliced(JsonElement element, ByteArrayOutputStream out) {
        if (random.nextInt(10) == 0) {
            out.writeBytes(VALUE_FRAGMENTS.get(random.nextInt(VALUE_FRAGMENTS.size())));
        } else if (element.isJsonArray()) {
            out.write('[');
            int i = 0;
            for (JsonElement item : element.getAsJsonArray()) {
                writeSeparator(i++, out);
                writeSpliced(item, out);
            }
            out.write(']');
        } else if (element.isJsonObject()) {
            out.write('{');
            int i = 0;
            String previousKey = null;
            for (Map.Entry<String, JsonElement> member : element.getAsJsonObject().entrySet()) {
                writeSeparator(i++, out);
                writeKey(previousKey != null && random.nextInt(10) == 0 ? previousKey : member.getKey(), out);
                writeWhitespace(out);
                out.write(':');
                writeSpliced(member.getValue(), out);
                previousKey = member.getKey();
            }
            out.write('}');
        } else {
            writeWhitespace(out);
            out.writeBytes(element.toString().getBytes(StandardCharsets.UTF_8));
            writeWhitespace(out);
        }
    }

    private void writeKey(String key, ByteArrayOutputStream out) {
        int kind = random.nextInt(20);
        if (kind == 0 && !key.isEmpty()) {
            out.writeBytes(key.getBytes(StandardCharsets.UTF_8)); // unquoted
        } else if (kind == 1) {
            out.writeBytes(("'" + key + "'").getBytes(StandardCharsets.UTF_8));
        } else {
            out.writeBytes(new JsonPrimitive(key).toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void writeSeparator(int index, ByteArrayOutputStream out) {
        if (index > 0) {
            if (random.nextInt(15) == 0) {
                out.writeBytes(SEPARATOR_FRAGMENTS.get(random.nextInt(SEPARATOR_FRAGMENTS.size())));
            } else {
                out.write(',');
            }
        }
        writeWhitespace(out);
    }

    private void writeWhitespace(ByteArrayOutputStream out) {
        if (random.nextInt(8) == 0) {
            out.write(" \t\n\r".charAt(random.nextInt(4)));
        }
    }

    /** Each character of a fragment becomes one byte (ISO 8859-1), so the tables can spell invalid UTF-8. */
    private static List<byte[]> fragments(String... fragments) {
        List<byte[]> bytes = new ArrayList<>();
        for (String fragment : fragments) {
            bytes.add(fragment.getBytes(StandardCharsets.ISO_8859_1));
        }
        return List.copyOf(bytes);
    }

    private int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    private static byte[] editValues() {
        byte[] punctuation = PUNCTUATION.getBytes(StandardCharsets.US_ASCII);
        byte[] utf8Pieces = {(byte) 0xC3, (byte) 0xA9, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xF4};
        byte[] all = new byte[punctuation.length + utf8Pieces.length];
        System.arraycopy(punctuation, 0, all, 0, punctuation.length);
        System.arraycopy(utf8Pieces, 0, all, punctuation.length, utf8Pieces.length);
        return all;
    }
}
