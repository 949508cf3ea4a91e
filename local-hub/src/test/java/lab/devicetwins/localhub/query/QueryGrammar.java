package lab.devicetwins.localhub.query;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Query texts built from the pieces of the grammar (paths, constants, operators, functions, projections,
 * aggregates), for property tests. The paths name the properties {@link RandomTwins} fills, so conditions often
 * select something.
 */
final class QueryGrammar {

    static final List<String> PATHS = List.of(
            "properties.reported.a", "properties.reported.b", "properties.reported.s", "properties.reported.obj",
            "properties.reported.obj.x", "properties.reported.arr", "properties.reported['HomeTemp(F)']",
            "properties.desired.a", "properties.desired.$version", "tags.t", "tags.loc.p", "tags.missing",
            "deviceId", "DeviceId", "status", "STATUS", "Properties.Reported.a", "tags['loc'].p", "version");

    private static final List<String> CONSTANTS = List.of(
            "0", "1", "2", "-3", "5", "1.5", "-0.5", "2.0", "1e2", "6.85e1", ".5", "1.", "0x1F", "0x0",
            "9007199254740993", "-9223372036854775807", "9223372036854775808", "1e308",
            "'a'", "\"A\"", "''", "'\\u00e9'", "'5'", "' 5 '", "'1.5e1'", "'it\\'s'", "\"say \\\"hi\\\"\"", "'Ab'",
            "'\\uFF21'", "'\u00c9'", "'\\ud83d\\ude00'",
            "true", "false", "null", "undefined", "[]", "[1, 2]", "['a', 'b']", "[null]", "[1, 'a']", "[true]");

    private static final List<String> COMPARISONS = List.of("=", "!=", "<>", "<", ">", "<=", ">=");
    private static final List<String> ARITHMETIC = List.of("+", "-", "*", "/", "%");
    private static final List<String> ONE_ARGUMENT = List.of(
            "IS_DEFINED", "IS_NULL", "IS_BOOL", "IS_NUMBER", "IS_STRING", "IS_OBJECT", "IS_ARRAY", "IS_PRIMITIVE",
            "AS_NUMBER", "ABS", "CEILING", "FLOOR", "SIGN", "SQRT", "EXP", "SQUARE", "LENGTH", "LOWER", "UPPER",
            "is_defined", "Lower");
    private static final List<String> TWO_ARGUMENTS = List.of(
            "POWER", "CONCAT", "SUBSTRING", "INDEX_OF", "STARTS_WITH", "ENDS_WITH", "CONTAINS");

    private QueryGrammar() {
    }

    static Arbitrary<String> path() {
        return Arbitraries.of(PATHS);
    }

    static Arbitrary<String> constant() {
        return Arbitraries.of(CONSTANTS);
    }

    /** Any expression: conditions and values mix freely in the language, so both are generated together. */
    static Arbitrary<String> expression(int depth) {
        if (depth <= 0) {
            return Arbitraries.oneOf(path(), constant());
        }
        Arbitrary<String> smaller = expression(depth - 1);
        return Arbitraries.frequencyOf(
                Tuple.of(2, path()),
                Tuple.of(1, constant()),
                Tuple.of(5, Combinators.combine(path(), Arbitraries.of(COMPARISONS), constant())
                        .as((l, op, r) -> l + " " + op + " " + r)),
                Tuple.of(3, Combinators.combine(Arbitraries.of(ONE_ARGUMENT.subList(0, 8)), path())
                        .as((f, p) -> f + "(" + p + ")")),
                Tuple.of(2, Combinators.combine(smaller, Arbitraries.of(COMPARISONS), smaller)
                        .as((l, op, r) -> "(" + l + ") " + op + " (" + r + ")")),
                Tuple.of(6, Combinators.combine(smaller, Arbitraries.of("AND", "OR", "and", "Or"), smaller)
                        .as((l, op, r) -> "(" + l + ") " + op + " (" + r + ")")),
                Tuple.of(4, smaller.map(e -> "NOT (" + e + ")")),
                Tuple.of(2, Combinators.combine(smaller, Arbitraries.of(ARITHMETIC), smaller)
                        .as((l, op, r) -> "(" + l + ") " + op + " (" + r + ")")),
                Tuple.of(1, smaller.map(e -> "-(" + e + ")")),
                Tuple.of(2, Combinators.combine(smaller, Arbitraries.of("IN", "NIN"), constant().list().ofMaxSize(3))
                        .as((e, op, list) -> "(" + e + ") " + op + " [" + String.join(", ", list) + "]")),
                Tuple.of(2, Combinators.combine(Arbitraries.of(ONE_ARGUMENT), smaller)
                        .as((f, a) -> f + "(" + a + ")")),
                Tuple.of(2, Combinators.combine(Arbitraries.of(TWO_ARGUMENTS), smaller, smaller)
                        .as((f, a, b) -> f + "(" + a + ", " + b + ")")),
                Tuple.of(1, Combinators.combine(Arbitraries.of("SUBSTRING", "CONCAT"), smaller, smaller, smaller)
                        .as((f, a, b, c) -> f + "(" + a + ", " + b + ", " + c + ")")));
    }

    /** {@code *}, paths with aliases, or aggregates with an optional GROUP BY; with or without TOP and WHERE. */
    static Arbitrary<String> query(int depth) {
        Arbitrary<String> where = Arbitraries.oneOf(Arbitraries.just(""), expression(depth).map(c -> " WHERE " + c));
        Arbitrary<String> top = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.integers().between(0, 6).map(n -> "TOP " + n + " "));
        Arbitrary<String> projection = path().list().ofMinSize(1).ofMaxSize(3).uniqueElements().map(paths -> {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < paths.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(paths.get(i)).append(" AS k").append(i);
            }
            return text.toString();
        });
        Arbitrary<String> aggregates = Combinators.combine(
                        Arbitraries.of("COUNT()", "SUM(%s)", "AVG(%s)", "MIN(%s)", "MAX(%s)").list().ofMinSize(1).ofMaxSize(3),
                        path().list().ofSize(3))
                .as((functions, arguments) -> {
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < functions.size(); i++) {
                        text.append(i == 0 ? "" : ", ").append(functions.get(i).formatted(arguments.get(i)))
                                .append(" AS a").append(i);
                    }
                    return text.toString();
                });
        Arbitrary<String> groupBy = Arbitraries.oneOf(Arbitraries.just(""), path());
        return Arbitraries.oneOf(
                Combinators.combine(top, where).as((t, w) -> "SELECT " + t + "* FROM devices" + w),
                Combinators.combine(top, projection, where).as((t, p, w) -> "SELECT " + t + p + " FROM devices" + w),
                Combinators.combine(top, aggregates, where, groupBy).as((t, a, w, g) -> g.isEmpty()
                        ? "SELECT " + t + a + " FROM devices" + w
                        : "SELECT " + t + g + " AS g, " + a + " FROM devices" + w + " GROUP BY " + g));
    }
}
