package lab.devicetwins.localhub.query;

import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.oneOf;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

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

    static Gen<String> path() {
        return pick(PATHS);
    }

    static Gen<String> constant() {
        return pick(CONSTANTS);
    }

    /**
     * Any expression up to {@code depth} levels of operators: conditions and values mix freely in the language, so
     * both are generated together. The weights favour comparisons and AND/OR, which select twins.
     */
    static Gen<String> expression(int depth) {
        if (depth <= 0) {
            return oneOf(path(), constant());
        }
        Gen<String> smaller = expression(depth - 1);
        return frequency(List.of(
                Pair.of(2, path()),
                Pair.of(1, constant()),
                Pair.of(5, path().zip(pick(COMPARISONS), constant(), (l, op, r) -> l + " " + op + " " + r)),
                Pair.of(3, pick(ONE_ARGUMENT.subList(0, 8)).zip(path(), (f, p) -> f + "(" + p + ")")),
                Pair.of(2, smaller.zip(pick(COMPARISONS), smaller,
                        (l, op, r) -> "(" + l + ") " + op + " (" + r + ")")),
                Pair.of(6, smaller.zip(pick(List.of("AND", "OR", "and", "Or")), smaller,
                        (l, op, r) -> "(" + l + ") " + op + " (" + r + ")")),
                Pair.of(4, smaller.map(e -> "NOT (" + e + ")")),
                Pair.of(2, smaller.zip(pick(ARITHMETIC), smaller, (l, op, r) -> "(" + l + ") " + op + " (" + r + ")")),
                Pair.of(1, smaller.map(e -> "-(" + e + ")")),
                Pair.of(2, smaller.zip(pick(List.of("IN", "NIN")), lists().of(constant()).ofSizeBetween(0, 3),
                        (e, op, list) -> "(" + e + ") " + op + " [" + String.join(", ", list) + "]")),
                Pair.of(2, pick(ONE_ARGUMENT).zip(smaller, (f, a) -> f + "(" + a + ")")),
                Pair.of(2, pick(TWO_ARGUMENTS).zip(smaller, smaller, (f, a, b) -> f + "(" + a + ", " + b + ")")),
                Pair.of(1, pick(List.of("SUBSTRING", "CONCAT")).zip(smaller, smaller, smaller,
                        (f, a, b, c) -> f + "(" + a + ", " + b + ", " + c + ")"))));
    }

    /**
     * {@code *}, paths with aliases, or aggregates with an optional GROUP BY, each a third of the time; each with or
     * without TOP and with or without WHERE, half the time each.
     */
    static Gen<String> query(int depth) {
        Gen<String> where = oneOf(Generate.constant(""), expression(depth).map(c -> " WHERE " + c));
        Gen<String> top = oneOf(Generate.constant(""), range(0, 6).map(n -> "TOP " + n + " "));
        Gen<String> projection = DistinctPicks.of(PATHS, 1, 3).map(paths -> {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < paths.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(paths.get(i)).append(" AS k").append(i);
            }
            return text.toString();
        });
        Gen<String> aggregates = lists().of(pick(List.of("COUNT()", "SUM(%s)", "AVG(%s)", "MIN(%s)", "MAX(%s)")))
                .ofSizeBetween(1, 3)
                .zip(lists().of(path()).ofSize(3), (functions, arguments) -> {
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < functions.size(); i++) {
                        text.append(i == 0 ? "" : ", ").append(functions.get(i).formatted(arguments.get(i)))
                                .append(" AS a").append(i);
                    }
                    return text.toString();
                });
        Gen<String> groupBy = oneOf(Generate.constant(""), path());
        return oneOf(
                top.zip(where, (t, w) -> "SELECT " + t + "* FROM devices" + w),
                top.zip(projection, where, (t, p, w) -> "SELECT " + t + p + " FROM devices" + w),
                top.zip(aggregates, where, groupBy, (t, a, w, g) -> g.isEmpty()
                        ? "SELECT " + t + a + " FROM devices" + w
                        : "SELECT " + t + g + " AS g, " + a + " FROM devices" + w + " GROUP BY " + g));
    }
}
