package lab.devicetwins.localhub.twin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** JSON literals for tests, written with single quotes so they read without escaping. */
final class Json {
    private Json() {
    }

    static JsonObject obj(String singleQuoted) {
        return JsonParser.parseString(singleQuoted.replace('\'', '"')).getAsJsonObject();
    }

    static String repeat(char c, int times) {
        return String.valueOf(c).repeat(times);
    }
}
