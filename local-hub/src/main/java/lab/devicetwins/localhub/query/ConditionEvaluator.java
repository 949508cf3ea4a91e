package lab.devicetwins.localhub.query;

import java.util.ArrayList;
import java.util.List;
import lab.devicetwins.localhub.query.Expression.BinaryOperator;
import lab.devicetwins.localhub.query.Operand.Structure;

/**
 * Evaluates a WHERE condition against one row. A twin matches only when the condition is boolean {@code true};
 * {@link Truth#UNDEFINED} (missing properties, values of different kinds) never matches, and {@code NOT} keeps it
 * undefined. Values are read from the row only through {@link QueryRow#attribute}.
 */
final class ConditionEvaluator {

    private final Expression condition;

    ConditionEvaluator(Expression condition) {
        this.condition = condition;
    }

    boolean matches(QueryRow row) {
        return truth(condition, row) == Truth.TRUE;
    }

    Truth truth(Expression expression, QueryRow row) {
        if (expression instanceof Expression.Binary binary && binary.operator() == BinaryOperator.AND) {
            Truth left = truth(binary.left(), row);
            return left == Truth.FALSE ? Truth.FALSE : left.and(truth(binary.right(), row));
        }
        if (expression instanceof Expression.Binary binary && binary.operator() == BinaryOperator.OR) {
            Truth left = truth(binary.left(), row);
            return left == Truth.TRUE ? Truth.TRUE : left.or(truth(binary.right(), row));
        }
        if (expression instanceof Expression.Binary binary && binary.operator().isComparison()) {
            return QueryValues.compare(binary.operator(), value(binary.left(), row), value(binary.right(), row));
        }
        if (expression instanceof Expression.Not not) {
            return truth(not.operand(), row).not();
        }
        if (expression instanceof Expression.Membership membership) {
            return membership(membership, row);
        }
        if (expression instanceof Expression.Call call && FunctionEvaluator.isPredicate(call.function())) {
            return FunctionEvaluator.test(call.function(), arguments(call, row));
        }
        // A value used as a condition: only the boolean true matches, so 'true', 1 and null do not.
        Operand operand = value(expression, row);
        return operand instanceof Operand.Bool bool ? Truth.of(bool.value()) : Truth.UNDEFINED;
    }

    Operand value(Expression expression, QueryRow row) {
        if (expression instanceof Expression.Constant constant) {
            return QueryValues.of(constant.value());
        }
        if (expression instanceof Expression.Attribute attribute) {
            return QueryValues.of(row.attribute(attribute.path()));
        }
        if (expression instanceof Expression.Binary binary && binary.operator().isArithmetic()) {
            return Arithmetic.apply(binary.operator(), value(binary.left(), row), value(binary.right(), row));
        }
        if (expression instanceof Expression.Negate negate) {
            return Arithmetic.negate(value(negate.operand(), row));
        }
        if (expression instanceof Expression.Call call && !FunctionEvaluator.isPredicate(call.function())) {
            return FunctionEvaluator.apply(call.function(), arguments(call, row));
        }
        // A condition used as a value, e.g. (a = 1) = true.
        return truth(expression, row).asOperand();
    }

    private List<Operand> arguments(Expression.Call call, QueryRow row) {
        List<Operand> values = new ArrayList<>(call.arguments().size());
        for (Expression argument : call.arguments()) {
            values.add(value(argument, row));
        }
        return values;
    }

    /**
     * {@code x IN [c1, c2, ..]} means {@code x = c1 OR x = c2 ..}: true when a candidate equals x (null matches
     * null), false only when x is defined and no candidate could equal it, i.e. the list is empty or holds only
     * primitives of x's kind. {@code NIN} is its negation.
     */
    private Truth membership(Expression.Membership membership, QueryRow row) {
        Operand operand = value(membership.operand(), row);
        if (operand == null) {
            return Truth.UNDEFINED;
        }
        boolean found = false;
        boolean allOfOperandsKind = operand != Structure.OBJECT && operand != Structure.ARRAY;
        for (QueryValue candidate : membership.candidates()) {
            Operand value = QueryValues.of(candidate);
            if (operand == Structure.NULL ? value == Structure.NULL : QueryValues.equal(operand, value)) {
                found = true;
                break;
            }
            allOfOperandsKind &= operand != Structure.NULL && QueryValues.sameKind(operand, value);
        }
        Truth in = found ? Truth.TRUE : allOfOperandsKind ? Truth.FALSE : Truth.UNDEFINED;
        return membership.negated() ? in.not() : in;
    }
}
