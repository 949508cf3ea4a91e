package lab.devicetwins.localhub.properties;

import static org.quicktheories.generators.Generate.booleans;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;

/**
 * Random twin patches (objects of objects, arrays and leaves, keys valid and not) and the model of IoT Hub's twin
 * rules they are judged by: keys non-empty, at most 1024 UTF-8 bytes, without {@code .}, {@code $}, space or control
 * characters; objects and arrays at most 10 levels below the section; strings at most 4096 bytes; integers within
 * ±2^52; no null inside an array.
 */
final class TwinPatchTrees {
    private static final int MAX_DEPTH = 10;
    private static final BigInteger MAX_INTEGER = BigInteger.valueOf(4_503_599_627_370_495L);
    private static final BigInteger MIN_INTEGER = BigInteger.valueOf(-4_503_599_627_370_496L);

    private TwinPatchTrees() {
    }

    static final List<String> VALID_KEYS = List.of("a", "b", "mode", "temp", "x_1", "k-1", "A", "ü", "日本", "@home",
            "k".repeat(1024));
    static final List<String> INVALID_KEYS = List.of("", "a.b", "$x", "a b", "tab\t", "\u0001", "x".repeat(1025));

    /** A patch: an object of up to four members, whose values nest up to 12 levels. */
    static Gen<JsonObject> patches() {
        return object(1);
    }

    /** Twelve in fifteen a short valid key, one in fifteen the longest valid key, two in fifteen an invalid one. */
    private static Gen<String> keys() {
        return frequency(List.of(Pair.of(12, pick(VALID_KEYS.subList(0, VALID_KEYS.size() - 1))),
                Pair.of(1, constant(VALID_KEYS.get(VALID_KEYS.size() - 1))),
                Pair.of(2, pick(INVALID_KEYS))));
    }

    /**
     * An object of zero to four members (three below the top), keys distinct: QuickTheories has no map generator,
     * and dropping repeated keys would make small objects likelier than the size drawn, so a repeated key is drawn
     * again (a few times at most; the keys are many enough that it rarely takes more than one).
     */
    private static Gen<JsonObject> object(int depth) {
        Gen<Integer> sizes = range(0, depth == 1 ? 4 : 3);
        Gen<String> keys = keys();
        Gen<JsonElement> values = value(depth, false);
        return source -> {
            int size = sizes.generate(source);
            Set<String> chosen = new LinkedHashSet<>();
            for (int draw = 0; chosen.size() < size && draw < 8 * size; draw++) {
                chosen.add(keys.generate(source));
            }
            JsonObject object = new JsonObject();
            for (String key : chosen) {
                object.add(key, values.generate(source));
            }
            return object;
        };
    }

    /**
     * A leaf five times in eight or nine; an object three times (twice from depth 4 on); an array of up to three
     * values once. From depth 13 on, only leaves.
     */
    private static Gen<JsonElement> value(int depth, boolean inArray) {
        Gen<JsonElement> leaf = leaf(inArray);
        if (depth > 12) {
            return leaf;
        }
        // built when drawn, so only the branches a case takes are made
        Gen<JsonElement> nestedObject = source -> object(depth + 1).generate(source);
        Gen<JsonElement> item = source -> value(depth + 1, true).generate(source);
        return frequency(List.of(
                Pair.of(5, leaf),
                Pair.of(depth < 4 ? 3 : 2, nestedObject),
                Pair.of(1, lists().of(item).ofSizeBetween(0, 3).map(items -> {
                    JsonArray array = new JsonArray();
                    items.forEach(array::add);
                    return (JsonElement) array;
                }))));
    }

    /**
     * Null (rarer in arrays), booleans, small integers, numbers at the edges of the integer range and fractions,
     * strings with quotes, escapes and non-ASCII, and strings at and just over 4096 bytes.
     */
    private static Gen<JsonElement> leaf(boolean inArray) {
        return frequency(List.of(
                Pair.of(inArray ? 1 : 3, constant(JsonNull.INSTANCE)),
                Pair.of(2, booleans().map(b -> (JsonElement) new JsonPrimitive(b))),
                Pair.of(3, range(-1000, 1000).map(n -> (JsonElement) new JsonPrimitive(n))),
                Pair.of(1, pick(List.of("4503599627370495", "4503599627370496", "-4503599627370496",
                        "-4503599627370497", "1.5", "-0.25", "1e10", "2.5E-5", "123456789.123456789"))
                        .map(n -> (JsonElement) new JsonPrimitive(new BigDecimal(n)))),
                Pair.of(3, pick(List.of("", "eco", "Grüße", "a\"quote", "back\\slash", "line\nbreak", "日本語"))
                        .map(text -> (JsonElement) new JsonPrimitive(text))),
                Pair.of(1, pick(List.of(4096, 4097)).map(n -> (JsonElement) new JsonPrimitive("s".repeat(n))))));
    }

    /** The first rule the patch breaks, or null when it breaks none. */
    static String brokenRule(JsonObject patch) {
        return brokenInMembers(patch, 0, false);
    }

    /** As the hub reads it, a null anywhere below an array counts as in the array. */
    private static String brokenInMembers(JsonObject object, int depth, boolean inArray) {
        for (Map.Entry<String, JsonElement> member : object.entrySet()) {
            String key = member.getKey();
            if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > 1024
                    || key.chars().anyMatch(c -> c == '.' || c == '$' || c == ' ' || Character.isISOControl(c))) {
                return "key '" + key + "'";
            }
            String broken = brokenInValue(member.getValue(), depth, inArray);
            if (broken != null) {
                return broken;
            }
        }
        return null;
    }

    private static String brokenInValue(JsonElement value, int depth, boolean inArray) {
        if (value.isJsonNull()) {
            return inArray ? "null in an array" : null;
        }
        if (value.isJsonObject() || value.isJsonArray()) {
            if (depth + 1 > MAX_DEPTH) {
                return "nested " + (depth + 1) + " levels deep";
            }
            if (value.isJsonObject()) {
                return brokenInMembers(value.getAsJsonObject(), depth + 1, inArray);
            }
            for (JsonElement item : value.getAsJsonArray()) {
                String broken = brokenInValue(item, depth + 1, true);
                if (broken != null) {
                    return broken;
                }
            }
            return null;
        }
        JsonPrimitive primitive = value.getAsJsonPrimitive();
        if (primitive.isString() && primitive.getAsString().getBytes(StandardCharsets.UTF_8).length > 4096) {
            return "a string over 4096 bytes";
        }
        if (primitive.isNumber() && primitive.getAsString().matches("-?\\d+")) {
            BigInteger integer = new BigInteger(primitive.getAsString());
            if (integer.compareTo(MIN_INTEGER) < 0 || integer.compareTo(MAX_INTEGER) > 0) {
                return "integer " + integer + " out of range";
            }
        }
        return null;
    }

    /** Every leaf of the patch with its path; nulls included (they delete). Arrays count as leaves. */
    static List<Map.Entry<List<String>, JsonElement>> leaves(JsonObject patch) {
        List<Map.Entry<List<String>, JsonElement>> leaves = new ArrayList<>();
        collect(patch, new ArrayList<>(), leaves);
        return leaves;
    }

    private static void collect(JsonObject object, List<String> path, List<Map.Entry<List<String>, JsonElement>> leaves) {
        for (Map.Entry<String, JsonElement> member : object.entrySet()) {
            List<String> memberPath = new ArrayList<>(path);
            memberPath.add(member.getKey());
            if (member.getValue().isJsonObject()) {
                collect(member.getValue().getAsJsonObject(), memberPath, leaves);
            } else {
                leaves.add(Map.entry(List.copyOf(memberPath), member.getValue()));
            }
        }
    }

    /** The value at {@code path} below {@code root}, or null when there is none. */
    static JsonElement at(JsonObject root, List<String> path) {
        JsonElement current = root;
        for (String key : path) {
            if (current == null || !current.isJsonObject()) {
                return null;
            }
            current = current.getAsJsonObject().get(key);
        }
        return current;
    }

    /** JSON equality with numbers compared by value ({@code 1e10} equals {@code 10000000000}). */
    static boolean sameJson(JsonElement a, JsonElement b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isJsonPrimitive() && b.isJsonPrimitive() && a.getAsJsonPrimitive().isNumber()
                && b.getAsJsonPrimitive().isNumber()) {
            return a.getAsBigDecimal().compareTo(b.getAsBigDecimal()) == 0;
        }
        if (a.isJsonArray() && b.isJsonArray()) {
            JsonArray x = a.getAsJsonArray();
            JsonArray y = b.getAsJsonArray();
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameJson(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isJsonObject() && b.isJsonObject()) {
            JsonObject x = a.getAsJsonObject();
            JsonObject y = b.getAsJsonObject();
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            return x.keySet().stream().allMatch(k -> sameJson(x.get(k), y.get(k)));
        }
        return a.equals(b);
    }
}
