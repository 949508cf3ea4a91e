package lab.devicetwins.localhub.attack;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads JSON the way RFC 8259 and I-JSON (RFC 7493) write it, so a test can tell whether what the hub sent is JSON
 * that every client reads the same: UTF-8, Gson's {@link Strictness#STRICT} grammar (no comments, unquoted names,
 * single quotes, NaN or trailing text), and on top of it no duplicate names, no lone surrogates and no number
 * beyond a double (which readers turn into infinity or refuse).
 */
public final class StrictJson {
    private StrictJson() {
    }

    /** Why a text is not strict JSON. */
    public static final class NotStrictJson extends Exception {
        private static final long serialVersionUID = 1L;

        NotStrictJson(String message) {
            super(message);
        }
    }

    /** The value of a UTF-8 JSON text; refuses anything a strict reader would not accept. */
    public static JsonElement parse(byte[] utf8) throws NotStrictJson {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new NotStrictJson("not UTF-8: " + e.getMessage());
        }
        return parse(text);
    }

    /** The value of a JSON text; refuses anything a strict reader would not accept. */
    public static JsonElement parse(String text) throws NotStrictJson {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonElement value = read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new NotStrictJson("text follows the JSON value at " + reader.getPath());
            }
            return value;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new NotStrictJson(e.getMessage());
        }
    }

    private static JsonElement read(JsonReader reader) throws IOException, NotStrictJson {
        switch (reader.peek()) {
            case BEGIN_OBJECT -> {
                JsonObject object = new JsonObject();
                Set<String> names = new HashSet<>();
                reader.beginObject();
                while (reader.hasNext()) {
                    String name = reader.nextName();
                    requireWholeCodePoints(name, reader);
                    if (!names.add(name)) {
                        throw new NotStrictJson("the name '" + name + "' appears twice in one object at " + reader.getPath());
                    }
                    object.add(name, read(reader));
                }
                reader.endObject();
                return object;
            }
            case BEGIN_ARRAY -> {
                JsonArray array = new JsonArray();
                reader.beginArray();
                while (reader.hasNext()) {
                    array.add(read(reader));
                }
                reader.endArray();
                return array;
            }
            case STRING -> {
                String value = reader.nextString();
                requireWholeCodePoints(value, reader);
                return new JsonPrimitive(value);
            }
            case NUMBER -> {
                String literal = reader.nextString();
                BigDecimal number = new BigDecimal(literal);
                if (!Double.isFinite(Double.parseDouble(literal))) {
                    throw new NotStrictJson("the number " + literal + " is beyond a double at " + reader.getPath());
                }
                return new JsonPrimitive(number);
            }
            case BOOLEAN -> {
                return new JsonPrimitive(reader.nextBoolean());
            }
            case NULL -> {
                reader.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new NotStrictJson("unexpected " + reader.peek() + " at " + reader.getPath());
        }
    }

    private static void requireWholeCodePoints(String text, JsonReader reader) throws NotStrictJson {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new NotStrictJson(String.format("a lone surrogate U+%04X at %s", (int) c, reader.getPath()));
            }
        }
    }
}
