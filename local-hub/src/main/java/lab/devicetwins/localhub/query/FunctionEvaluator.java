package lab.devicetwins.localhub.query;

import java.util.List;
import lab.devicetwins.localhub.query.Operand.Bool;
import lab.devicetwins.localhub.query.Operand.Numeric;
import lab.devicetwins.localhub.query.Operand.Real;
import lab.devicetwins.localhub.query.Operand.Structure;
import lab.devicetwins.localhub.query.Operand.Text;
import lab.devicetwins.localhub.query.Operand.Whole;

/**
 * What each {@link QueryFunction} computes. String functions want strings and math functions numbers; given
 * anything else they are undefined. Type checks ({@code IS_*}) are always true or false, also for undefined.
 * Strings are counted in code points, from 0; {@code LOWER} and {@code UPPER} change ASCII letters only.
 */
final class FunctionEvaluator {

    private FunctionEvaluator() {
    }

    /** True for the functions that are conditions rather than values. */
    static boolean isPredicate(QueryFunction function) {
        return switch (function) {
            case IS_DEFINED, IS_NULL, IS_BOOL, IS_NUMBER, IS_STRING, IS_OBJECT, IS_ARRAY, IS_PRIMITIVE,
                 STARTS_WITH, ENDS_WITH, CONTAINS -> true;
            default -> false;
        };
    }

    /** A predicate's answer; the arguments are already evaluated. */
    static Truth test(QueryFunction function, List<Operand> arguments) {
        Operand x = arguments.get(0);
        return switch (function) {
            case IS_DEFINED -> Truth.of(x != null);
            case IS_NULL -> Truth.of(x == Structure.NULL);
            case IS_BOOL -> Truth.of(x instanceof Bool);
            case IS_NUMBER -> Truth.of(x instanceof Numeric);
            case IS_STRING -> Truth.of(x instanceof Text);
            case IS_OBJECT -> Truth.of(x == Structure.OBJECT);
            case IS_ARRAY -> Truth.of(x == Structure.ARRAY);
            case IS_PRIMITIVE -> Truth.of(x == Structure.NULL || x instanceof Bool || x instanceof Numeric
                    || x instanceof Text);
            case STARTS_WITH, ENDS_WITH, CONTAINS -> textTest(function, x, arguments.get(1));
            default -> throw new IllegalArgumentException("not a predicate: " + function);
        };
    }

    private static Truth textTest(QueryFunction function, Operand x, Operand y) {
        if (!(x instanceof Text text) || !(y instanceof Text part)) {
            return Truth.UNDEFINED;
        }
        return Truth.of(switch (function) {
            case STARTS_WITH -> text.value().startsWith(part.value());
            case ENDS_WITH -> text.value().endsWith(part.value());
            default -> text.value().contains(part.value());
        });
    }

    /** A value function's result, or null (undefined); the arguments are already evaluated. */
    static Operand apply(QueryFunction function, List<Operand> arguments) {
        Operand x = arguments.get(0);
        return switch (function) {
            case AS_NUMBER -> x instanceof Numeric ? x
                    : x instanceof Text text ? QueryValues.parseNumber(text.value()) : null;
            case ABS, CEILING, FLOOR, SIGN, SQRT, EXP, SQUARE -> x instanceof Numeric number
                    ? math(function, number) : null;
            case POWER -> x instanceof Numeric base && arguments.get(1) instanceof Numeric exponent
                    ? power(base.asDouble(), exponent.asDouble()) : null;
            case LENGTH -> x instanceof Text text ? new Whole(codePoints(text.value())) : null;
            case LOWER, UPPER -> x instanceof Text text
                    ? new Text(asciiCase(text.value(), function == QueryFunction.UPPER)) : null;
            case CONCAT -> concat(arguments);
            case INDEX_OF -> x instanceof Text text && arguments.get(1) instanceof Text part
                    ? new Whole(indexOf(text.value(), part.value())) : null;
            case SUBSTRING -> substring(arguments);
            default -> throw new IllegalArgumentException("not a value function: " + function);
        };
    }

    private static Operand math(QueryFunction function, Numeric x) {
        double value = x.asDouble();
        return switch (function) {
            case ABS -> x instanceof Whole whole && whole.value() != Long.MIN_VALUE
                    ? new Whole(Math.abs(whole.value())) : QueryValues.real(Math.abs(value));
            case CEILING -> x instanceof Whole ? x : QueryValues.real(Math.ceil(value));
            case FLOOR -> x instanceof Whole ? x : QueryValues.real(Math.floor(value));
            case SIGN -> new Whole(value < 0 ? -1 : value > 0 ? 1 : 0);
            case SQRT -> QueryValues.real(Math.sqrt(value));
            case EXP -> QueryValues.real(Math.exp(value));
            default -> Arithmetic.multiply(x, x);
        };
    }

    /** As C's {@code pow}: 1 to any power, and -1 to an infinite power, are 1 (Java's {@code Math.pow} says NaN). */
    private static Operand power(double base, double exponent) {
        if (base == 1 || (base == -1 && Double.isInfinite(exponent))) {
            return new Real(1);
        }
        return QueryValues.real(Math.pow(base, exponent));
    }

    private static Operand concat(List<Operand> arguments) {
        StringBuilder joined = new StringBuilder();
        for (Operand argument : arguments) {
            if (!(argument instanceof Text text)) {
                return null;
            }
            joined.append(text.value());
        }
        return new Text(joined.toString());
    }

    /** {@code SUBSTRING(s, start[, length])}: fractions are cut off, negative positions and lengths count as 0. */
    private static Operand substring(List<Operand> arguments) {
        if (!(arguments.get(0) instanceof Text text) || !(arguments.get(1) instanceof Numeric start)) {
            return null;
        }
        long length = Long.MAX_VALUE;
        if (arguments.size() == 3) {
            if (!(arguments.get(2) instanceof Numeric count)) {
                return null;
            }
            length = Math.max(whole(count), 0);
        }
        String s = text.value();
        long size = codePoints(s);
        long from = Math.max(whole(start), 0);
        if (from >= size) {
            return new Text("");
        }
        long to = length >= size - from ? size : from + length;
        int begin = s.offsetByCodePoints(0, (int) from);
        return new Text(s.substring(begin, s.offsetByCodePoints(begin, (int) (to - from))));
    }

    /** A number cut to a whole one, saturating at the ends of the long range. */
    private static long whole(Numeric number) {
        return number instanceof Whole whole ? whole.value() : (long) number.asDouble();
    }

    private static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }

    private static int indexOf(String text, String part) {
        int at = text.indexOf(part);
        return at < 0 ? -1 : text.codePointCount(0, at);
    }

    private static String asciiCase(String s, boolean upper) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (upper && c >= 'a' && c <= 'z') {
                chars[i] = (char) (c - 'a' + 'A');
            } else if (!upper && c >= 'A' && c <= 'Z') {
                chars[i] = (char) (c - 'A' + 'a');
            }
        }
        return new String(chars);
    }
}
