package lab.devicetwins.localhub.twin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.util.Map;

/**
 * IoT Hub's twin size rule: every property counts its key plus its value; text counts its UTF-8 bytes without
 * C0/C1 control characters; a number counts 8, a boolean 4; an object the sum of its properties.
 *
 * <p>Where the hub's documentation is silent: an array counts the sum of its elements (each by the same rule, so
 * an object element counts its properties); a null counts 0, since a null never stays in a twin (it deletes).
 * Text is measured in UTF-8 bytes rather than characters, so the local hub never accepts a twin the real hub
 * would find too big.
 */
final class TwinSize {
    private TwinSize() {
    }

    /** Size of a section's data; callers pass data without {@code $version}/{@code $metadata}. */
    static long ofProperties(Iterable<Map.Entry<String, JsonElement>> properties) {
        long size = 0;
        for (Map.Entry<String, JsonElement> property : properties) {
            size += ofProperty(property.getKey(), property.getValue());
        }
        return size;
    }

    static long ofProperty(String key, JsonElement value) {
        return ofText(key) + ofValue(value);
    }

    static long ofValue(JsonElement value) {
        if (value.isJsonNull()) {
            return 0;
        }
        if (value.isJsonObject()) {
            return ofProperties(value.getAsJsonObject().entrySet());
        }
        if (value.isJsonArray()) {
            long size = 0;
            for (JsonElement element : (JsonArray) value) {
                size += ofValue(element);
            }
            return size;
        }
        JsonPrimitive primitive = value.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return 4;
        }
        if (primitive.isNumber()) {
            return 8;
        }
        return ofText(primitive.getAsString());
    }

    /** UTF-8 bytes of the text, not counting control characters (C0, DEL and C1). */
    static long ofText(String text) {
        long size = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isISOControl(codePoint)) {
                continue;
            }
            size += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
        }
        return size;
    }
}
