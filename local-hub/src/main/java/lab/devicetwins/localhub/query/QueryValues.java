package lab.devicetwins.localhub.query;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Comparator;
import java.util.regex.Pattern;
import lab.devicetwins.localhub.query.Expression.BinaryOperator;
import lab.devicetwins.localhub.query.Operand.Bool;
import lab.devicetwins.localhub.query.Operand.Numeric;
import lab.devicetwins.localhub.query.Operand.Real;
import lab.devicetwins.localhub.query.Operand.Structure;
import lab.devicetwins.localhub.query.Operand.Text;
import lab.devicetwins.localhub.query.Operand.Whole;

/**
 * The type rules of the query language: which kind a twin value or a constant has, and how values compare. Only
 * primitives of one kind compare (number with number, string with string, boolean with boolean); {@code null}
 * equals {@code null} and nothing else; everything else is undefined.
 */
final class QueryValues {

    /** Strings order by code point, which is the byte order of their UTF-8 form. */
    static final Comparator<String> CODE_POINT_ORDER = QueryValues::compareCodePoints;

    private static final Pattern JSON_INTEGER = Pattern.compile("-?[0-9]+");
    /** A JSON number (RFC 8259) with the whitespace JSON allows around it, for {@code AS_NUMBER}. */
    private static final Pattern JSON_NUMBER_TEXT =
            Pattern.compile("[ \t\n\r]*(-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)[ \t\n\r]*");

    private QueryValues() {
    }

    /** The operand a twin value stands for; null (undefined) for a path that leads nowhere. */
    static Operand of(JsonElement json) {
        if (json == null) {
            return null;
        }
        if (json.isJsonNull()) {
            return Structure.NULL;
        }
        if (json instanceof JsonObject) {
            return Structure.OBJECT;
        }
        if (json instanceof JsonArray) {
            return Structure.ARRAY;
        }
        JsonPrimitive primitive = (JsonPrimitive) json;
        if (primitive.isBoolean()) {
            return new Bool(primitive.getAsBoolean());
        }
        if (primitive.isNumber()) {
            return number(primitive.getAsString());
        }
        return new Text(primitive.getAsString());
    }

    /** The operand a constant written in the query stands for. */
    static Operand of(QueryValue constant) {
        if (constant instanceof QueryValue.Text text) {
            return new Text(text.value());
        }
        if (constant instanceof QueryValue.Numeric number) {
            return number.value() instanceof Long whole ? new Whole(whole) : real(number.value().doubleValue());
        }
        if (constant instanceof QueryValue.Bool bool) {
            return new Bool(bool.value());
        }
        if (constant instanceof QueryValue.Null) {
            return Structure.NULL;
        }
        if (constant instanceof QueryValue.Undefined) {
            return null;
        }
        return Structure.ARRAY;
    }

    /**
     * A number from its JSON text: a whole number while the text has no fraction or exponent and fits a long, a
     * double otherwise ({@code 1e400} is infinite). Null for text that is no number.
     */
    static Numeric number(String text) {
        try {
            if (JSON_INTEGER.matcher(text).matches()) {
                try {
                    return new Whole(Long.parseLong(text));
                } catch (NumberFormatException beyondLong) {
                    return new Real(Double.parseDouble(text));
                }
            }
            return (Numeric) real(Double.parseDouble(text));
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    /** {@code AS_NUMBER} of a string: the number when the whole string is one JSON number, else undefined. */
    static Numeric parseNumber(String text) {
        var matcher = JSON_NUMBER_TEXT.matcher(text);
        return matcher.matches() ? number(matcher.group(1)) : null;
    }

    /** A double as an operand; NaN (such as {@code SQRT(-1)}) is no value. */
    static Operand real(double value) {
        return Double.isNaN(value) ? null : new Real(value);
    }

    /**
     * A comparison. Undefined unless both sides are primitives of one kind, except that {@code null = null} is
     * true and {@code null != null} false.
     */
    static Truth compare(BinaryOperator operator, Operand left, Operand right) {
        if (left == Structure.NULL && right == Structure.NULL) {
            return switch (operator) {
                case EQUAL -> Truth.TRUE;
                case NOT_EQUAL -> Truth.FALSE;
                default -> Truth.UNDEFINED;
            };
        }
        Integer order = order(left, right);
        if (order == null) {
            return Truth.UNDEFINED;
        }
        int c = order;
        return Truth.of(switch (operator) {
            case EQUAL -> c == 0;
            case NOT_EQUAL -> c != 0;
            case LESS -> c < 0;
            case GREATER -> c > 0;
            case LESS_OR_EQUAL -> c <= 0;
            case GREATER_OR_EQUAL -> c >= 0;
            default -> throw new IllegalArgumentException("not a comparison: " + operator);
        });
    }

    /** True when both are primitives of one kind and equal (for {@code IN}); {@code 1} equals {@code 1.0}. */
    static boolean equal(Operand left, Operand right) {
        Integer order = order(left, right);
        return order != null && order == 0;
    }

    /** True when both are primitives of one kind: numbers, strings or booleans. */
    static boolean sameKind(Operand left, Operand right) {
        return (left instanceof Numeric && right instanceof Numeric) || (left instanceof Text && right instanceof Text)
                || (left instanceof Bool && right instanceof Bool);
    }

    /** The order of two primitives of one kind, or null when they do not compare. */
    private static Integer order(Operand left, Operand right) {
        if (left instanceof Numeric a && right instanceof Numeric b) {
            return compareNumbers(a, b);
        }
        if (left instanceof Text a && right instanceof Text b) {
            return compareCodePoints(a.value(), b.value());
        }
        if (left instanceof Bool a && right instanceof Bool b) {
            return Boolean.compare(a.value(), b.value());
        }
        return null;
    }

    /** Numeric order, exact also between a long and a double (2^53 + 1 is more than the double 2^53). */
    static int compareNumbers(Numeric a, Numeric b) {
        if (a instanceof Whole x && b instanceof Whole y) {
            return Long.compare(x.value(), y.value());
        }
        if (a instanceof Whole x) {
            return compareWholeWithReal(x.value(), b.asDouble());
        }
        if (b instanceof Whole y) {
            return -compareWholeWithReal(y.value(), a.asDouble());
        }
        double x = a.asDouble();
        double y = b.asDouble();
        // Not Double.compare: -0.0 and 0.0 are equal numbers here.
        return x < y ? -1 : x > y ? 1 : 0;
    }

    private static int compareWholeWithReal(long whole, double real) {
        if (real < -0x1p63) {
            return 1;
        }
        if (real >= 0x1p63) {
            return -1;
        }
        long truncated = (long) real;
        if (whole != truncated) {
            return whole < truncated ? -1 : 1;
        }
        // Same integer part: the fraction decides, and (double) whole is exact near a fraction-bearing double.
        double asReal = whole;
        return asReal < real ? -1 : asReal > real ? 1 : 0;
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
