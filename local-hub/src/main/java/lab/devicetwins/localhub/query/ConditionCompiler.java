package lab.devicetwins.localhub.query;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.query.Expression.BinaryOperator;

/**
 * Compiles expressions to SQLite over the {@code doc} column, with JSON functions.
 *
 * <p>A value is compiled to two SQL expressions (an {@link Operand}): its <em>kind</em> ({@code 'null'},
 * {@code 'bool'}, {@code 'number'}, {@code 'string'}, {@code 'object'}, {@code 'array'}, or SQL NULL for undefined)
 * and its SQL value. Kinds exist because SQLite alone would compare across types (an INTEGER is less than any TEXT)
 * and reads JSON booleans as 1 and 0; every comparison first checks that both sides are primitives of one kind.
 * A value whose kind is not NULL but whose SQL value is NULL (a division by zero, {@code SQRT(-1)}) is undefined too.
 *
 * <p>A condition is compiled to a {@link Truth}: one SQL predicate that holds when it evaluates to boolean
 * {@code true} and one for boolean {@code false}. Undefined makes both fail, which gives the query language's rule
 * that only {@code true} matches, with {@code NOT} swapping the two.
 */
final class ConditionCompiler {

    /** Generated SQL beyond this size is refused rather than handed to SQLite. */
    static final int MAX_SQL_LENGTH = 200_000;

    private static final String PRIMITIVE_KINDS = "('bool','number','string')";

    private final SqlParameters parameters;

    ConditionCompiler(SqlParameters parameters) {
        this.parameters = parameters;
    }

    record Operand(String kind, String value) {}

    record Truth(String isTrue, String isFalse) {
        Truth negated() {
            return new Truth(isFalse, isTrue);
        }
    }

    Truth truth(Expression expression) {
        if (expression instanceof Expression.Binary binary && binary.operator() == BinaryOperator.AND) {
            Truth left = truth(binary.left());
            Truth right = truth(binary.right());
            return truth("(" + left.isTrue() + " AND " + right.isTrue() + ")",
                    "(" + left.isFalse() + " OR " + right.isFalse() + ")");
        }
        if (expression instanceof Expression.Binary binary && binary.operator() == BinaryOperator.OR) {
            Truth left = truth(binary.left());
            Truth right = truth(binary.right());
            return truth("(" + left.isTrue() + " OR " + right.isTrue() + ")",
                    "(" + left.isFalse() + " AND " + right.isFalse() + ")");
        }
        if (expression instanceof Expression.Binary binary && binary.operator().isComparison()) {
            return comparison(binary);
        }
        if (expression instanceof Expression.Not not) {
            return truth(not.operand()).negated();
        }
        if (expression instanceof Expression.Membership membership) {
            return membership(membership);
        }
        if (expression instanceof Expression.Call call && isPredicate(call.function())) {
            return predicate(call);
        }
        Operand operand = operand(expression);
        return truth("(" + operand.kind() + " = 'bool' AND " + operand.value() + " = 1)",
                "(" + operand.kind() + " = 'bool' AND " + operand.value() + " = 0)");
    }

    Operand operand(Expression expression) {
        if (expression instanceof Expression.Constant constant) {
            return constant(constant.value());
        }
        if (expression instanceof Expression.Attribute attribute) {
            return attribute(attribute.path());
        }
        if (expression instanceof Expression.Binary binary && binary.operator().isArithmetic()) {
            return arithmetic(binary);
        }
        if (expression instanceof Expression.Negate negate) {
            Operand operand = operand(negate.operand());
            return operand("CASE WHEN " + operand.kind() + " = 'number' THEN 'number' END", "(-" + operand.value() + ")");
        }
        if (expression instanceof Expression.Call call && !isPredicate(call.function())) {
            return function(call);
        }
        // A condition used as a value, e.g. (a = 1) = true.
        Truth truth = truth(expression);
        return operand("CASE WHEN " + truth.isTrue() + " THEN 'bool' WHEN " + truth.isFalse() + " THEN 'bool' END",
                "CASE WHEN " + truth.isTrue() + " THEN 1 ELSE 0 END");
    }

    /** The kind and value of a path into the stored twin; a missing path has kind NULL. */
    Operand attribute(AttributePath path) {
        String jsonPath = parameters.bind(path.jsonPath());
        String type = "json_type(doc, " + jsonPath + ")";
        return operand("CASE " + type + " WHEN 'true' THEN 'bool' WHEN 'false' THEN 'bool' WHEN 'integer' THEN 'number'"
                + " WHEN 'real' THEN 'number' WHEN 'text' THEN 'string' ELSE " + type + " END",
                "json_extract(doc, " + jsonPath + ")");
    }

    private Operand constant(QueryValue value) {
        if (value instanceof QueryValue.Text text) {
            return new Operand("'string'", parameters.bind(text.value()));
        }
        if (value instanceof QueryValue.Numeric number) {
            return new Operand("'number'", parameters.bind(number.value()));
        }
        if (value instanceof QueryValue.Bool bool) {
            return new Operand("'bool'", parameters.bind(bool.value() ? 1 : 0));
        }
        if (value instanceof QueryValue.Null) {
            return new Operand("'null'", "NULL");
        }
        if (value instanceof QueryValue.Undefined) {
            return new Operand("NULL", "NULL");
        }
        return new Operand("'array'", parameters.bind(json(value).toString()));
    }

    private static String primitiveKind(QueryValue value) {
        if (value instanceof QueryValue.Text) {
            return "'string'";
        }
        return value instanceof QueryValue.Numeric ? "'number'" : "'bool'";
    }

    private static JsonElement json(QueryValue value) {
        if (value instanceof QueryValue.Text text) {
            return new JsonPrimitive(text.value());
        }
        if (value instanceof QueryValue.Numeric number) {
            return new JsonPrimitive(number.value());
        }
        if (value instanceof QueryValue.Bool bool) {
            return new JsonPrimitive(bool.value());
        }
        if (value instanceof QueryValue.Array array) {
            JsonArray elements = new JsonArray();
            // JSON has no undefined; inside an array constant it can only be left out.
            array.elements().stream().filter(e -> !(e instanceof QueryValue.Undefined)).forEach(e -> elements.add(json(e)));
            return elements;
        }
        return JsonNull.INSTANCE;
    }

    private Truth comparison(Expression.Binary binary) {
        Operand left = operand(binary.left());
        Operand right = operand(binary.right());
        String sameKind = "(" + left.kind() + " = " + right.kind() + " AND " + left.kind() + " IN " + PRIMITIVE_KINDS + ")";
        String compared = "(" + left.value() + " " + binary.operator().sql() + " " + right.value() + ")";
        String isTrue = "(" + sameKind + " AND " + compared + ")";
        String isFalse = "(" + sameKind + " AND NOT " + compared + ")";
        // null equals null and nothing else; ordering null is undefined.
        String bothNull = "(" + left.kind() + " = 'null' AND " + right.kind() + " = 'null')";
        if (binary.operator() == BinaryOperator.EQUAL) {
            isTrue = "(" + isTrue + " OR " + bothNull + ")";
        } else if (binary.operator() == BinaryOperator.NOT_EQUAL) {
            isFalse = "(" + isFalse + " OR " + bothNull + ")";
        }
        return truth(isTrue, isFalse);
    }

    /**
     * {@code x IN [..]} is {@code x = c1 OR x = c2 ...}, so it is true when a candidate equals x, and false only when
     * every candidate is of x's kind and none equals it; {@code NIN} is its negation. Mixed kinds never match.
     */
    private Truth membership(Expression.Membership membership) {
        Operand operand = operand(membership.operand());
        List<QueryValue> primitives = membership.candidates().stream()
                .filter(c -> c instanceof QueryValue.Text || c instanceof QueryValue.Numeric || c instanceof QueryValue.Bool)
                .toList();
        Map<String, List<QueryValue>> byKind = primitives.stream()
                .collect(Collectors.groupingBy(ConditionCompiler::primitiveKind, LinkedHashMap::new, Collectors.toList()));
        List<String> matches = new ArrayList<>();
        byKind.forEach((kind, values) -> matches.add("(" + operand.kind() + " = " + kind + " AND " + operand.value()
                + " IN (" + values.stream().map(v -> constant(v).value()).collect(Collectors.joining(", ")) + "))"));
        if (membership.candidates().stream().anyMatch(QueryValue.Null.class::isInstance)) {
            matches.add("(" + operand.kind() + " = 'null')");
        }
        String found = matches.isEmpty() ? "0" : "(" + String.join(" OR ", matches) + ")";
        String notFound;
        if (membership.candidates().isEmpty()) {
            notFound = "(" + operand.kind() + " IN ('null','bool','number','string'))";
        } else if (byKind.size() == 1 && primitives.size() == membership.candidates().size()) {
            String kind = byKind.keySet().iterator().next();
            notFound = "(" + operand.kind() + " = " + kind + " AND NOT " + found + ")";
        } else {
            notFound = "0";
        }
        Truth in = truth(found, notFound);
        return membership.negated() ? in.negated() : in;
    }

    private static boolean isPredicate(QueryFunction function) {
        return switch (function) {
            case IS_DEFINED, IS_NULL, IS_BOOL, IS_NUMBER, IS_STRING, IS_OBJECT, IS_ARRAY, IS_PRIMITIVE,
                 STARTS_WITH, ENDS_WITH, CONTAINS -> true;
            default -> false;
        };
    }

    private Truth predicate(Expression.Call call) {
        List<Operand> args = call.arguments().stream().map(this::operand).toList();
        Operand x = args.get(0);
        String defined = "(" + x.kind() + " = 'null' OR " + x.value() + " IS NOT NULL)";
        String test = switch (call.function()) {
            case IS_DEFINED -> "(" + x.kind() + " IS NOT NULL AND " + defined + ")";
            case IS_NULL -> "(" + x.kind() + " = 'null')";
            case IS_BOOL -> "(" + x.kind() + " = 'bool' AND " + defined + ")";
            case IS_NUMBER -> "(" + x.kind() + " = 'number' AND " + defined + ")";
            case IS_STRING -> "(" + x.kind() + " = 'string' AND " + defined + ")";
            case IS_OBJECT -> "(" + x.kind() + " = 'object')";
            case IS_ARRAY -> "(" + x.kind() + " = 'array')";
            case IS_PRIMITIVE -> "(" + x.kind() + " IN ('null','bool','number','string') AND " + defined + ")";
            default -> null;
        };
        if (test != null) {
            // Type checks answer true or false even for undefined, so NOT IS_DEFINED(x) finds twins without x.
            String isTrue = "coalesce(" + test + ", 0)";
            return truth(isTrue, "NOT " + isTrue);
        }
        Operand y = args.get(1);
        String strings = "(" + x.kind() + " = 'string' AND " + y.kind() + " = 'string')";
        String match = switch (call.function()) {
            case STARTS_WITH -> "(substr(" + x.value() + ", 1, length(" + y.value() + ")) = " + y.value() + ")";
            case ENDS_WITH -> "(length(" + y.value() + ") = 0 OR substr(" + x.value() + ", -length(" + y.value()
                    + ")) = " + y.value() + ")";
            default -> "(instr(" + x.value() + ", " + y.value() + ") > 0)";
        };
        return truth("(" + strings + " AND " + match + ")", "(" + strings + " AND NOT " + match + ")");
    }

    private Operand arithmetic(Expression.Binary binary) {
        Operand left = operand(binary.left());
        Operand right = operand(binary.right());
        String kind = "CASE WHEN " + left.kind() + " = 'number' AND " + right.kind() + " = 'number' THEN 'number' END";
        String value = switch (binary.operator()) {
            // SQLite divides integers as integers and % truncates to integers; the query language does neither.
            case DIVIDE -> "(CAST(" + left.value() + " AS REAL) / " + right.value() + ")";
            case MODULO -> "mod(" + left.value() + ", " + right.value() + ")";
            default -> "(" + left.value() + " " + binary.operator().sql() + " " + right.value() + ")";
        };
        return operand(kind, value);
    }

    private Operand function(Expression.Call call) {
        List<Operand> args = call.arguments().stream().map(this::operand).toList();
        Operand x = args.get(0);
        return switch (call.function()) {
            case AS_NUMBER -> operand("CASE WHEN " + x.kind() + " IN ('number','string') THEN 'number' END",
                    "CASE " + x.kind() + " WHEN 'number' THEN " + x.value() + " WHEN 'string' THEN CASE WHEN json_valid("
                            + x.value() + ") THEN CASE WHEN json_type(" + x.value() + ") IN ('integer','real') THEN "
                            + "json_extract(" + x.value() + ", '$') END END END");
            case ABS -> numeric(args, "abs(" + x.value() + ")");
            case CEILING -> numeric(args, "ceiling(" + x.value() + ")");
            case FLOOR -> numeric(args, "floor(" + x.value() + ")");
            case SIGN -> numeric(args, "sign(" + x.value() + ")");
            case SQRT -> numeric(args, "sqrt(" + x.value() + ")");
            case EXP -> numeric(args, "exp(" + x.value() + ")");
            case SQUARE -> numeric(args, "(" + x.value() + " * " + x.value() + ")");
            case POWER -> numeric(args, "power(" + x.value() + ", " + args.get(1).value() + ")");
            case LENGTH -> typed(args, List.of("string"), "number", "length(" + x.value() + ")");
            case LOWER -> typed(args, List.of("string"), "string", "lower(" + x.value() + ")");
            case UPPER -> typed(args, List.of("string"), "string", "upper(" + x.value() + ")");
            case CONCAT -> typed(args, args.stream().map(a -> "string").toList(), "string",
                    "(" + args.stream().map(Operand::value).collect(Collectors.joining(" || ")) + ")");
            case INDEX_OF -> typed(args, List.of("string", "string"), "number",
                    "(instr(" + x.value() + ", " + args.get(1).value() + ") - 1)");
            case SUBSTRING -> typed(args, args.size() == 2 ? List.of("string", "number") : List.of("string", "number", "number"),
                    "string", "substr(" + x.value() + ", max(CAST(" + args.get(1).value() + " AS INTEGER), 0) + 1"
                            + (args.size() == 3 ? ", max(CAST(" + args.get(2).value() + " AS INTEGER), 0)" : "") + ")");
            default -> throw new IllegalStateException("not a value function: " + call.function());
        };
    }

    private Operand numeric(List<Operand> args, String value) {
        return typed(args, args.stream().map(a -> "number").toList(), "number", value);
    }

    /** A function defined only when each argument has the expected kind; otherwise undefined. */
    private Operand typed(List<Operand> args, List<String> kinds, String resultKind, String value) {
        List<String> checks = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            checks.add(args.get(i).kind() + " = '" + kinds.get(i) + "'");
        }
        return operand("CASE WHEN " + String.join(" AND ", checks) + " THEN '" + resultKind + "' END", value);
    }

    private static Operand operand(String kind, String value) {
        return new Operand(checked(kind), checked(value));
    }

    private static Truth truth(String isTrue, String isFalse) {
        return new Truth(checked(isTrue), checked(isFalse));
    }

    private static String checked(String sql) {
        if (sql.length() > MAX_SQL_LENGTH) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID,
                    "The query is too complex for the local hub; simplify the WHERE condition");
        }
        return sql;
    }
}
