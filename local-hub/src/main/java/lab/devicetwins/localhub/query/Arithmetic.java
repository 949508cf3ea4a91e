package lab.devicetwins.localhub.query;

import lab.devicetwins.localhub.query.Expression.BinaryOperator;
import lab.devicetwins.localhub.query.Operand.Numeric;
import lab.devicetwins.localhub.query.Operand.Whole;

/**
 * {@code + - * / %} and unary minus. Defined only for two numbers; anything else (a string, a missing property) is
 * undefined. Whole numbers stay exact until a result no longer fits a long, then the operation is done in doubles;
 * {@code /} always divides as decimals ({@code 5 / 2 = 2.5}); division and remainder by zero, and results that are
 * NaN ({@code Infinity - Infinity}), are undefined.
 */
final class Arithmetic {

    private static final Whole ZERO = new Whole(0);

    private Arithmetic() {
    }

    static Operand apply(BinaryOperator operator, Operand left, Operand right) {
        if (!(left instanceof Numeric a) || !(right instanceof Numeric b)) {
            return null;
        }
        return switch (operator) {
            case ADD -> add(a, b);
            case SUBTRACT -> subtract(a, b);
            case MULTIPLY -> multiply(a, b);
            case DIVIDE -> b.asDouble() == 0 ? null : QueryValues.real(a.asDouble() / b.asDouble());
            // The remainder of the division as decimals, with the dividend's sign: 5.5 % 2 = 1.5, -5 % 3 = -2.
            case MODULO -> QueryValues.real(a.asDouble() % b.asDouble());
            default -> throw new IllegalArgumentException("not arithmetic: " + operator);
        };
    }

    static Operand negate(Operand operand) {
        return operand instanceof Numeric number ? subtract(ZERO, number) : null;
    }

    static Operand add(Numeric a, Numeric b) {
        if (a instanceof Whole x && b instanceof Whole y) {
            try {
                return new Whole(Math.addExact(x.value(), y.value()));
            } catch (ArithmeticException beyondLong) {
                // falls through to doubles
            }
        }
        return QueryValues.real(a.asDouble() + b.asDouble());
    }

    static Operand subtract(Numeric a, Numeric b) {
        if (a instanceof Whole x && b instanceof Whole y) {
            try {
                return new Whole(Math.subtractExact(x.value(), y.value()));
            } catch (ArithmeticException beyondLong) {
                // falls through to doubles
            }
        }
        return QueryValues.real(a.asDouble() - b.asDouble());
    }

    static Operand multiply(Numeric a, Numeric b) {
        if (a instanceof Whole x && b instanceof Whole y) {
            try {
                return new Whole(Math.multiplyExact(x.value(), y.value()));
            } catch (ArithmeticException beyondLong) {
                // falls through to doubles
            }
        }
        return QueryValues.real(a.asDouble() * b.asDouble());
    }
}
