package lab.devicetwins.localhub.query;

import java.util.List;

/** The parsed form of a WHERE condition (or any expression inside it). */
sealed interface Expression {

    record Constant(QueryValue value) implements Expression {}

    record Attribute(AttributePath path) implements Expression {}

    record Binary(BinaryOperator operator, Expression left, Expression right) implements Expression {}

    record Not(Expression operand) implements Expression {}

    record Negate(Expression operand) implements Expression {}

    /** {@code x IN [..]} or, when {@code negated}, {@code x NIN [..]}. */
    record Membership(Expression operand, boolean negated, List<QueryValue> candidates) implements Expression {
        public Membership {
            candidates = List.copyOf(candidates);
        }
    }

    record Call(QueryFunction function, List<Expression> arguments) implements Expression {
        public Call {
            arguments = List.copyOf(arguments);
        }
    }

    enum BinaryOperator {
        ADD, SUBTRACT, MULTIPLY, DIVIDE, MODULO,
        EQUAL, NOT_EQUAL, LESS, GREATER, LESS_OR_EQUAL, GREATER_OR_EQUAL,
        AND, OR;

        boolean isArithmetic() {
            return ordinal() <= MODULO.ordinal();
        }

        boolean isComparison() {
            return ordinal() >= EQUAL.ordinal() && ordinal() <= GREATER_OR_EQUAL.ordinal();
        }
    }
}
