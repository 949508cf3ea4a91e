package lab.devicetwins.localhub.json;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Map;
import java.util.Objects;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/**
 * JSON as the hub receives and sends it: exactly RFC 8259 in valid UTF-8, so that what the hub stores is what
 * every other parser reads from the same bytes.
 *
 * <p>{@link #parse(byte[])} accepts one value of any kind, whitespace of space, tab, LF and CR only, the RFC's
 * number grammar and string escapes, and refuses everything a lenient parser would guess at: comments, unquoted
 * or single-quoted keys and strings, {@code ;} separators, trailing commas, NaN and Infinity, leading zeros,
 * {@code +1}, {@code .5}, {@code 5.}, a byte order mark, content after the value, empty input, invalid UTF-8
 * (overlong forms, encoded surrogates, code points above U+10FFFF, truncated sequences, stray continuation
 * bytes), <code>&#92;u</code> escapes that are not valid UTF-16, unescaped control characters in strings, duplicate
 * object keys (two parsers would keep different values), numbers that are not finite as a double
 * ({@code 1e999}) and arrays and objects nested deeper than {@link #MAX_NESTING_DEPTH}.
 *
 * <p>Numbers keep their text: {@code JsonElement.toString()} prints {@code 1.50} as {@code 1.50}, and
 * {@code getAsLong}, {@code getAsDouble}, {@code getAsBigDecimal} and {@code equals} answer as they do for
 * Gson's own parse.
 *
 * <p>{@link #requireWritable} guards the other direction: no body the hub sends carries NaN, Infinity or a
 * string that is not valid Unicode.
 */
public final class StrictJson {
    /**
     * The deepest nesting of arrays and objects accepted. A twin allows 10 levels below
     * {@code properties.desired} and {@code properties.reported}, 13 counted from the twin's root, and the other
     * bodies are flatter; 64 leaves room for any body the hub has a use for while keeping the reader's recursion
     * a few kilobytes of stack, so {@code [[[[...} a hundred thousand deep is a 400 and never a stack overflow.
     */
    public static final int MAX_NESTING_DEPTH = 64;

    private StrictJson() {
    }

    /**
     * The tree of the JSON text in {@code utf8}.
     *
     * @throws HubException with {@link HubErrorCode#ARGUMENT_INVALID} when the text is not RFC 8259 JSON in valid
     *     UTF-8 or breaks one of the rules above; the message says what is wrong and where, ending in
     *     {@code at line L, column C} (both from 1, the column in characters), e.g.
     *     {@code unquoted object key at line 1, column 2}, and reads well after a prefix such as
     *     {@code "the request body is not valid JSON: "}
     */
    public static JsonElement parse(byte[] utf8) {
        return parse(utf8, 0, utf8.length);
    }

    /**
     * The tree of the JSON text in {@code utf8[offset .. offset + length)}; lines and columns in messages count
     * from {@code offset}.
     *
     * @throws HubException as {@link #parse(byte[])}
     * @throws IndexOutOfBoundsException when the range lies outside the array
     */
    public static JsonElement parse(byte[] utf8, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, utf8.length);
        return new StrictJsonReader(utf8, offset, length).readDocument();
    }

    /**
     * Returns {@code element} once checked that Gson writes it as JSON this class would parse back: no number
     * that is NaN, infinite or beyond a double (Gson's {@code toString()} writes these as {@code NaN},
     * {@code Infinity} or {@code 1E+400}), and no string or key with an unpaired surrogate (sent as {@code ?}).
     * For example {@code send(StrictJson.requireWritable(reply).toString())}.
     *
     * @throws HubException with {@link HubErrorCode#SERVER_ERROR}, naming the value's path from {@code $}, e.g.
     *     {@code the hub cannot send NaN as a JSON number at $.properties.reported.average}
     */
    public static <T extends JsonElement> T requireWritable(T element) {
        StringBuilder path = new StringBuilder("$");
        checkWritable(element, path);
        return element;
    }

    private static void checkWritable(JsonElement element, StringBuilder path) {
        if (element instanceof JsonObject object) {
            for (Map.Entry<String, JsonElement> member : object.entrySet()) {
                int parentLength = path.length();
                path.append('.').append(member.getKey());
                if (hasUnpairedSurrogate(member.getKey())) {
                    throw notWritable("an object key with an unpaired surrogate", path);
                }
                checkWritable(member.getValue(), path);
                path.setLength(parentLength);
            }
        } else if (element instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                int parentLength = path.length();
                path.append('[').append(i).append(']');
                checkWritable(array.get(i), path);
                path.setLength(parentLength);
            }
        } else if (element instanceof JsonPrimitive primitive) {
            if (primitive.isNumber()) {
                Number number = primitive.getAsNumber();
                // what this class parsed it already checked; anything else is checked as Gson would write it
                if (!(number instanceof NumberLiteral) && !Double.isFinite(number.doubleValue())) {
                    throw notWritable(number + " as a JSON number", path);
                }
            } else if (primitive.isString() && hasUnpairedSurrogate(primitive.getAsString())) {
                throw notWritable("a string with an unpaired surrogate", path);
            }
        }
    }

    private static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    private static HubException notWritable(String what, CharSequence path) {
        return new HubException(HubErrorCode.SERVER_ERROR, "the hub cannot send " + what + " at " + path);
    }
}
