package lab.devicetwins.localhub.json;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/**
 * One pass over the UTF-8 bytes of one JSON text, building the Gson tree as it goes. It validates UTF-8 itself
 * rather than decoding to a {@code String} first: a decoder would replace bad bytes with U+FFFD before the
 * grammar could see them, and decoding twice would cost the hot path a second pass.
 */
final class StrictJsonReader {
    private static final JsonPrimitive TRUE = new JsonPrimitive(Boolean.TRUE);
    private static final JsonPrimitive FALSE = new JsonPrimitive(Boolean.FALSE);
    /** Integers of up to 308 digits are below Double.MAX_VALUE (about 1.8e308); only longer ones need a check. */
    private static final int ALWAYS_FINITE_DIGITS = 308;
    /** How much of an unknown word (NaN, undefined, ...) the message repeats. */
    private static final int WORD_SHOWN = 24;
    /** How much of a duplicate key the message repeats. */
    private static final int KEY_SHOWN = 64;

    private final byte[] in;
    private final int start;
    private final int end;
    private int pos;
    private StringBuilder escaped;

    StrictJsonReader(byte[] in, int offset, int length) {
        this.in = in;
        this.start = offset;
        this.end = offset + length;
        this.pos = offset;
    }

    JsonElement readDocument() {
        if (end - start >= 3 && in[start] == (byte) 0xEF && in[start + 1] == (byte) 0xBB
                && in[start + 2] == (byte) 0xBF) {
            throw fail(start, "unexpected byte order mark");
        }
        JsonElement value = readValue(0);
        skipWhitespace();
        if (pos < end) {
            if (isCommentStart(pos)) {
                throw fail(pos, "comments are not allowed in JSON");
            }
            throw fail(pos, "unexpected " + describe(pos) + " after the JSON value");
        }
        return value;
    }

    /** {@code depth} is the number of arrays and objects around the value. */
    private JsonElement readValue(int depth) {
        skipWhitespace();
        if (pos >= end) {
            throw fail(pos, "expected a value but reached the end of the input");
        }
        switch (in[pos]) {
            case '{':
                checkDepth(depth);
                return readObject(depth + 1);
            case '[':
                checkDepth(depth);
                return readArray(depth + 1);
            case '"':
                return new JsonPrimitive(readString());
            case '-': case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8':
            case '9':
                return new JsonPrimitive(readNumber());
            case '\'':
                throw fail(pos, "single-quoted strings are not allowed in JSON");
            case '+':
                throw fail(pos, "a number must not start with '+'");
            case '.':
                throw fail(pos, "a number must not start with '.'");
            default:
                if (isWordChar(in[pos])) {
                    return readLiteral();
                }
                throw unexpected(pos, "a value");
        }
    }

    private void checkDepth(int depth) {
        if (depth >= StrictJson.MAX_NESTING_DEPTH) {
            throw fail(pos, "arrays and objects nested deeper than " + StrictJson.MAX_NESTING_DEPTH + " levels");
        }
    }

    private JsonObject readObject(int depth) {
        pos++;
        JsonObject object = new JsonObject();
        skipWhitespace();
        if (pos < end && in[pos] == '}') {
            pos++;
            return object;
        }
        while (true) {
            if (pos >= end) {
                throw fail(pos, "expected an object key but reached the end of the input");
            }
            if (in[pos] != '"') {
                throw badKey(pos);
            }
            int keyAt = pos;
            String key = NamePool.of(readString());
            skipWhitespace();
            if (pos >= end) {
                throw fail(pos, "expected ':' after the object key but reached the end of the input");
            }
            if (in[pos] != ':') {
                throw unexpected(pos, "':' after the object key");
            }
            pos++;
            JsonElement value = readValue(depth);
            int size = object.size();
            object.add(key, value);
            if (object.size() == size) {
                throw fail(keyAt, "duplicate object key " + quoted(key));
            }
            if (closesAfterMember((byte) '}')) {
                return object;
            }
        }
    }

    /**
     * After a member of an object or an element of an array: true when the closing bracket follows (consumed), false
     * when a comma does (consumed, and not followed by the bracket).
     */
    private boolean closesAfterMember(byte close) {
        skipWhitespace();
        if (pos >= end) {
            throw fail(pos, "expected ',' or '" + (char) close + "' but reached the end of the input");
        }
        byte next = in[pos];
        if (next == close) {
            pos++;
            return true;
        }
        if (next != ',') {
            throw unexpected(pos, "',' or '" + (char) close + "'");
        }
        int comma = pos++;
        skipWhitespace();
        if (pos < end && in[pos] == close) {
            throw fail(comma, "trailing comma before '" + (char) close + "'");
        }
        return false;
    }

    private HubException badKey(int at) {
        byte b = in[at];
        if (b == '\'') {
            return fail(at, "single-quoted object key");
        }
        if (isWordChar(b) || b == '$') {
            return fail(at, "unquoted object key");
        }
        return unexpected(at, "an object key in double quotes");
    }

    private JsonArray readArray(int depth) {
        pos++;
        JsonArray array = new JsonArray();
        skipWhitespace();
        if (pos < end && in[pos] == ']') {
            pos++;
            return array;
        }
        while (true) {
            array.add(readValue(depth));
            if (closesAfterMember((byte) ']')) {
                return array;
            }
        }
    }

    /** true, false, null, or a word JSON does not know (NaN, Infinity, undefined, True, ...). */
    private JsonElement readLiteral() {
        int wordStart = pos;
        int wordEnd = wordEnd(pos);
        int length = wordEnd - wordStart;
        if (length == 4 && in[pos] == 't' && in[pos + 1] == 'r' && in[pos + 2] == 'u' && in[pos + 3] == 'e') {
            pos = wordEnd;
            return TRUE;
        }
        if (length == 5 && in[pos] == 'f' && in[pos + 1] == 'a' && in[pos + 2] == 'l' && in[pos + 3] == 's'
                && in[pos + 4] == 'e') {
            pos = wordEnd;
            return FALSE;
        }
        if (length == 4 && in[pos] == 'n' && in[pos + 1] == 'u' && in[pos + 2] == 'l' && in[pos + 3] == 'l') {
            pos = wordEnd;
            return JsonNull.INSTANCE;
        }
        throw unknownWord(wordStart, wordStart, wordEnd);
    }

    private HubException unknownWord(int at, int wordStart, int wordEnd) {
        String word = new String(in, wordStart, Math.min(wordEnd - wordStart, WORD_SHOWN),
                StandardCharsets.ISO_8859_1);
        String sign = at < wordStart ? "-" : "";
        if (word.equals("NaN") || word.equals("Infinity")) {
            return fail(at, sign + word + " is not a JSON number");
        }
        return fail(at, "'" + sign + word + (wordEnd - wordStart > WORD_SHOWN ? "...'" : "'")
                + " is not a JSON value");
    }

    private int wordEnd(int from) {
        int p = from;
        while (p < end && isWordChar(in[p])) {
            p++;
        }
        return p;
    }

    private static boolean isWordChar(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_';
    }

    /** The RFC 8259 number grammar, then a finiteness check only where the text could exceed a double. */
    private NumberLiteral readNumber() {
        int numberStart = pos;
        if (in[pos] == '-') {
            pos++;
            if (pos < end && isWordChar(in[pos]) && !isDigit(in[pos])) {
                throw unknownWord(numberStart, pos, wordEnd(pos));
            }
            requireDigit("after '-'");
        }
        int integerStart = pos;
        if (in[pos] == '0') {
            pos++;
            if (pos < end && isDigit(in[pos])) {
                throw fail(integerStart, "leading zero in a number");
            }
        } else {
            skipDigits();
        }
        int integerDigits = pos - integerStart;
        if (pos < end && in[pos] == '.') {
            pos++;
            requireDigit("after the decimal point");
            skipDigits();
        }
        boolean exponent = false;
        if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
            exponent = true;
            pos++;
            if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            requireDigit("in the exponent");
            skipDigits();
        }
        String text = new String(in, numberStart, pos - numberStart, StandardCharsets.ISO_8859_1);
        if ((exponent || integerDigits > ALWAYS_FINITE_DIGITS) && Double.isInfinite(Double.parseDouble(text))) {
            throw fail(numberStart, "number outside the range of a 64-bit floating-point value");
        }
        return new NumberLiteral(text);
    }

    private void requireDigit(String where) {
        if (pos >= end) {
            throw fail(pos, "expected a digit " + where + " but reached the end of the input");
        }
        if (!isDigit(in[pos])) {
            throw unexpected(pos, "a digit " + where);
        }
    }

    private void skipDigits() {
        while (pos < end && isDigit(in[pos])) {
            pos++;
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /**
     * A string from its opening quote at {@code pos}. Most strings have no escape, so the first scan only checks
     * and a single copy builds the {@code String}; an escape switches to decoding into a reused builder.
     */
    private String readString() {
        int open = pos;
        int contentStart = pos + 1;
        boolean ascii = true;
        int p = contentStart;
        while (true) {
            if (p >= end) {
                throw fail(open, "unterminated string");
            }
            byte b = in[p];
            if (b == '"') {
                pos = p + 1;
                return new String(in, contentStart, p - contentStart,
                        ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            }
            if (b == '\\') {
                return readEscapedString(open, contentStart, p, ascii);
            }
            if (b >= 0 && b < 0x20) {
                throw fail(p, "unescaped control character " + codePoint(b) + " in a string");
            }
            if (b < 0) {
                ascii = false;
                p += utf8Length(p);
            } else {
                p++;
            }
        }
    }

    private String readEscapedString(int open, int contentStart, int firstEscape, boolean ascii) {
        StringBuilder text = escaped == null ? escaped = new StringBuilder(64) : escaped;
        text.setLength(0);
        text.append(new String(in, contentStart, firstEscape - contentStart,
                ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        int p = firstEscape;
        while (true) {
            if (p >= end) {
                throw fail(open, "unterminated string");
            }
            byte b = in[p];
            if (b == '"') {
                pos = p + 1;
                return text.toString();
            }
            if (b == '\\') {
                p = readEscape(open, p, text);
            } else if (b >= 0 && b < 0x20) {
                throw fail(p, "unescaped control character " + codePoint(b) + " in a string");
            } else if (b < 0) {
                int length = utf8Length(p);
                text.appendCodePoint(decodeUtf8(p, length));
                p += length;
            } else {
                text.append((char) b);
                p++;
            }
        }
    }

    /** Appends the escape at {@code backslash} and returns the position after it. */
    private int readEscape(int open, int backslash, StringBuilder text) {
        if (backslash + 1 >= end) {
            throw fail(open, "unterminated string");
        }
        byte e = in[backslash + 1];
        switch (e) {
            case '"': text.append('"'); return backslash + 2;
            case '\\': text.append('\\'); return backslash + 2;
            case '/': text.append('/'); return backslash + 2;
            case 'b': text.append('\b'); return backslash + 2;
            case 'f': text.append('\f'); return backslash + 2;
            case 'n': text.append('\n'); return backslash + 2;
            case 'r': text.append('\r'); return backslash + 2;
            case 't': text.append('\t'); return backslash + 2;
            case 'u':
                break;
            default:
                if (e > 0x20 && e < 0x7F) {
                    throw fail(backslash, "invalid escape \\" + (char) e + " in a string");
                }
                throw fail(backslash, "invalid escape in a string: '\\' followed by " + describe(backslash + 1));
        }
        char unit = hexUnit(open, backslash);
        if (Character.isLowSurrogate(unit)) {
            throw fail(backslash, "unpaired surrogate escape " + escape(unit) + " in a string");
        }
        if (!Character.isHighSurrogate(unit)) {
            text.append(unit);
            return backslash + 6;
        }
        int low = backslash + 6;
        if (low + 1 < end && in[low] == '\\' && in[low + 1] == 'u') {
            char second = hexUnit(open, low);
            if (Character.isLowSurrogate(second)) {
                text.append(unit).append(second);
                return low + 6;
            }
        }
        throw fail(backslash, "unpaired surrogate escape " + escape(unit) + " in a string");
    }

    /** The UTF-16 code unit of the <code>&#92;uXXXX</code> escape at {@code backslash}. */
    private char hexUnit(int open, int backslash) {
        int value = 0;
        for (int i = backslash + 2; i < backslash + 6; i++) {
            if (i >= end) {
                throw fail(open, "unterminated string");
            }
            int digit = Character.digit(in[i], 16);
            if (digit < 0) {
                throw fail(backslash, "\\u escape without four hexadecimal digits in a string");
            }
            value = value << 4 | digit;
        }
        return (char) value;
    }

    private static String escape(char unit) {
        return String.format("\\u%04X", (int) unit);
    }

    /**
     * The length of the valid UTF-8 sequence whose lead byte (0x80 or above) is at {@code at}. Refuses what
     * RFC 3629 refuses: stray continuation bytes, overlong forms (C0, C1, E0 80..9F, F0 80..8F), encoded
     * surrogates (ED A0..BF), code points above U+10FFFF (F4 90..BF, F5..FF) and truncated sequences.
     */
    private int utf8Length(int at) {
        int lead = in[at] & 0xFF;
        if (lead < 0xC0) {
            throw fail(at, "invalid UTF-8 (continuation byte " + hex(lead) + " without a lead byte)");
        }
        if (lead < 0xC2) {
            throw fail(at, "invalid UTF-8 (overlong encoding)");
        }
        if (lead >= 0xF5) {
            throw fail(at, "invalid UTF-8 (byte " + hex(lead) + ")");
        }
        int length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        for (int i = 1; i < length; i++) {
            if (at + i >= end || (in[at + i] & 0xC0) != 0x80) {
                throw fail(at, "invalid UTF-8 (truncated sequence)");
            }
        }
        int second = in[at + 1] & 0xFF;
        if ((lead == 0xE0 && second < 0xA0) || (lead == 0xF0 && second < 0x90)) {
            throw fail(at, "invalid UTF-8 (overlong encoding)");
        }
        if (lead == 0xED && second >= 0xA0) {
            throw fail(at, "invalid UTF-8 (encoded surrogate)");
        }
        if (lead == 0xF4 && second >= 0x90) {
            throw fail(at, "invalid UTF-8 (code point above U+10FFFF)");
        }
        return length;
    }

    /** The code point of a sequence {@link #utf8Length} has checked. */
    private int decodeUtf8(int at, int length) {
        int lead = in[at] & 0xFF;
        int value = length == 2 ? lead & 0x1F : length == 3 ? lead & 0x0F : lead & 0x07;
        for (int i = 1; i < length; i++) {
            value = value << 6 | (in[at + i] & 0x3F);
        }
        return value;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    private boolean isCommentStart(int at) {
        return in[at] == '/' && at + 1 < end && (in[at + 1] == '/' || in[at + 1] == '*');
    }

    private HubException unexpected(int at, String expected) {
        if (isCommentStart(at)) {
            return fail(at, "comments are not allowed in JSON");
        }
        return fail(at, "expected " + expected + " but found " + describe(at));
    }

    /** The character at {@code at} for a message: 'x' when printable ASCII, U+XXXX otherwise. */
    private String describe(int at) {
        byte b = in[at];
        if (b > 0x20 && b < 0x7F) {
            return "'" + (char) b + "'";
        }
        if (b >= 0) {
            return codePoint(b);
        }
        int codePoint = decodeUtf8(at, utf8Length(at));
        return String.format("U+%04X", codePoint);
    }

    private static String codePoint(byte ascii) {
        return String.format("U+%04X", (int) ascii);
    }

    private static String hex(int b) {
        return String.format("0x%02X", b);
    }

    /**
     * The key in quotes, shortened, with control characters and line separators escaped so the message stays
     * one short line.
     */
    private static String quoted(String key) {
        StringBuilder shown = new StringBuilder(KEY_SHOWN + 8).append('"');
        int shownEnd = key.codePointCount(0, key.length()) <= KEY_SHOWN ? key.length()
                : key.offsetByCodePoints(0, KEY_SHOWN);
        for (int i = 0; i < shownEnd; i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                shown.append(String.format("\\u%04X", (int) c));
            } else {
                shown.append(c);
            }
        }
        if (shownEnd < key.length()) {
            shown.append("...");
        }
        return shown.append('"').toString();
    }

    private HubException fail(int at, String problem) {
        return new HubException(HubErrorCode.ARGUMENT_INVALID, problem + " at " + TextPosition.of(in, start, at));
    }
}
