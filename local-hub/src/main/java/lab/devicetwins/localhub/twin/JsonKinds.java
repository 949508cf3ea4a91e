package lab.devicetwins.localhub.twin;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;

/** Names JSON value kinds the way rule messages talk about them. */
final class JsonKinds {
    private JsonKinds() {
    }

    static String describe(JsonElement value) {
        if (value.isJsonNull()) {
            return "null";
        }
        if (value.isJsonArray()) {
            return "an array";
        }
        if (value.isJsonObject()) {
            return "an object";
        }
        JsonPrimitive primitive = value.getAsJsonPrimitive();
        if (primitive.isString()) {
            return "a string";
        }
        return primitive.isBoolean() ? "a boolean" : "a number";
    }
}
