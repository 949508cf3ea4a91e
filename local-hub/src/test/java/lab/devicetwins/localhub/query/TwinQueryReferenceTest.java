package lab.devicetwins.localhub.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Simple conditions (one path against constants) select exactly the twins a direct reading of their JSON selects.
 * The reading here is written separately from the evaluator: numbers compare as BigDecimal (every number in play
 * is exact in binary, so this is the value a double or long holds), strings by their UTF-8 bytes, and anything
 * missing or of another kind is neither true nor false.
 */
class TwinQueryReferenceTest {

    private static final List<String> PATHS = List.of("properties.reported.a", "properties.reported.b",
            "properties.reported.s", "tags.t", "tags.loc.p", "tags.missing", "properties.reported.obj.x");
    private static final List<String> OPERATORS = List.of("=", "!=", "<>", "<", ">", "<=", ">=");

    /** A constant as written in the query and as JSON. */
    private record Constant(String text, JsonElement json) {
        static Constant of(String text, String json) {
            return new Constant(text, JsonParser.parseString(json));
        }
    }

    private static final List<Constant> CONSTANTS = List.of(
            Constant.of("0", "0"), Constant.of("1", "1"), Constant.of("2", "2"), Constant.of("-3", "-3"),
            Constant.of("5", "5"), Constant.of("1.5", "1.5"), Constant.of("2.0", "2.0"), Constant.of("-0.5", "-0.5"),
            Constant.of("1e2", "100"), Constant.of("0x10", "16"), Constant.of("9007199254740992.0", "9007199254740992"),
            Constant.of("4503599627370495", "4503599627370495"), Constant.of("'a'", "\"a\""),
            Constant.of("\"A\"", "\"A\""), Constant.of("'5'", "\"5\""), Constant.of("''", "\"\""),
            Constant.of("'\\u00e9'", "\"\u00e9\""), Constant.of("'\\uFF21'", "\"\uFF21\""),
            Constant.of("'\\ud83d\\ude00x'", "\"\ud83d\ude00x\""), Constant.of("'Ab'", "\"Ab\""),
            Constant.of("true", "true"), Constant.of("false", "false"), Constant.of("null", "null"));

    /** A condition on one path, with the query text and the answer expected for a twin. */
    private interface SimpleCondition {
        String text();

        /** TRUE, FALSE, or null when neither. */
        Boolean expected(JsonObject twin);
    }

    private record Comparison(String path, String operator, Constant constant) implements SimpleCondition {
        @Override
        public String text() {
            return path + " " + operator + " " + constant.text();
        }

        @Override
        public Boolean expected(JsonObject twin) {
            return compare(read(twin, path), operator, constant.json());
        }
    }

    private record Negation(SimpleCondition inner) implements SimpleCondition {
        @Override
        public String text() {
            return "NOT (" + inner.text() + ")";
        }

        @Override
        public Boolean expected(JsonObject twin) {
            Boolean value = inner.expected(twin);
            return value == null ? null : !value;
        }
    }

    private record Range(Comparison low, Comparison high) implements SimpleCondition {
        @Override
        public String text() {
            return low.text() + " AND " + high.text();
        }

        @Override
        public Boolean expected(JsonObject twin) {
            Boolean a = low.expected(twin);
            Boolean b = high.expected(twin);
            if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
                return false;
            }
            return a == null || b == null ? null : true;
        }
    }

    private record Defined(String path) implements SimpleCondition {
        @Override
        public String text() {
            return "IS_DEFINED(" + path + ")";
        }

        @Override
        public Boolean expected(JsonObject twin) {
            return read(twin, path) != null;
        }
    }

    private static JsonElement read(JsonObject twin, String path) {
        JsonElement current = twin;
        for (String name : path.split("\\.")) {
            if (!current.isJsonObject() || !current.getAsJsonObject().has(name)) {
                return null;
            }
            current = current.getAsJsonObject().get(name);
        }
        return current;
    }

    private static Boolean compare(JsonElement value, String operator, JsonElement constant) {
        if (value == null) {
            return null;
        }
        if (value instanceof JsonNull && constant instanceof JsonNull) {
            return switch (operator) {
                case "=" -> true;
                case "!=", "<>" -> false;
                default -> null;
            };
        }
        Integer order = order(value, constant);
        if (order == null) {
            return null;
        }
        return switch (operator) {
            case "=" -> order == 0;
            case "!=", "<>" -> order != 0;
            case "<" -> order < 0;
            case ">" -> order > 0;
            case "<=" -> order <= 0;
            default -> order >= 0;
        };
    }

    private static Integer order(JsonElement value, JsonElement constant) {
        if (!(value instanceof JsonPrimitive v) || !(constant instanceof JsonPrimitive c)) {
            return null;
        }
        if (v.isNumber() && c.isNumber()) {
            return new BigDecimal(v.getAsString()).compareTo(new BigDecimal(c.getAsString()));
        }
        if (v.isString() && c.isString()) {
            return Arrays.compareUnsigned(v.getAsString().getBytes(StandardCharsets.UTF_8),
                    c.getAsString().getBytes(StandardCharsets.UTF_8));
        }
        if (v.isBoolean() && c.isBoolean()) {
            return Boolean.compare(v.getAsBoolean(), c.getAsBoolean());
        }
        return null;
    }

    @Provide
    Arbitrary<List<JsonObject>> fleets() {
        return RandomTwins.fleet(15);
    }

    @Provide
    Arbitrary<SimpleCondition> conditions() {
        Arbitrary<String> path = Arbitraries.of(PATHS);
        Arbitrary<Constant> constant = Arbitraries.of(CONSTANTS);
        Arbitrary<Comparison> comparison = Combinators.combine(path, Arbitraries.of(OPERATORS), constant)
                .as(Comparison::new);
        Arbitrary<SimpleCondition> range = Combinators.combine(path, constant, constant, Arbitraries.of(">", ">="),
                        Arbitraries.of("<", "<="))
                .as((p, lo, hi, from, to) -> new Range(new Comparison(p, from, lo), new Comparison(p, to, hi)));
        return Arbitraries.oneOf(comparison, comparison.map(Negation::new), range, path.map(Defined::new),
                path.map(Defined::new).map(Negation::new));
    }

    @Property(tries = 400)
    void a_simple_condition_selects_what_reading_the_twins_directly_selects(
            @ForAll("fleets") List<JsonObject> twins, @ForAll("conditions") SimpleCondition condition) {
        TwinTable table = new TwinTable();
        twins.forEach(table::put);

        QueryPage page = new TwinQueryEngine().execute(table, "SELECT deviceId FROM devices WHERE " + condition.text(),
                100, null);

        List<String> expected = twins.stream().filter(twin -> Boolean.TRUE.equals(condition.expected(twin)))
                .map(twin -> twin.get("deviceId").getAsString()).sorted().toList();
        assertThat(page.items()).extracting(item -> item.get("deviceId").getAsString())
                .as(condition.text()).containsExactlyElementsOf(expected);
        // The comparison proves little if conditions mostly select nothing: make sure many select some twins.
        Statistics.label("selected").collect(expected.isEmpty() ? "none" : expected.size() == twins.size() ? "all" : "some");
        Statistics.label("selected").coverage(coverage -> coverage.check("some").percentage(p -> p >= 20));
    }
}
