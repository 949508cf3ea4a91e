package lab.devicetwins.localhub.query;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.util.Optional;
import lab.devicetwins.localhub.query.Expression.BinaryOperator;
import lab.devicetwins.localhub.query.Operand.Structure;

/**
 * A test a WHERE condition cannot match without: {@code path = constant}, one of the terms its top-level {@code AND}s
 * join. A source with an index on the path can hand the engine only the twins whose value there has the constant's
 * {@link #key() key}; the engine still evaluates the whole condition on each of them.
 *
 * <p>Keys follow the query language's equality ({@link QueryValues}): values of one kind that compare equal have the
 * same key, values of different kinds never do. Strings are keyed by themselves, booleans by themselves, numbers by
 * their double value (so {@code 1} and {@code 1.0} share a key; two longs beyond 2^53 may too, which only widens the
 * candidates), JSON null by {@link #NULL_KEY}. Objects, arrays and missing values have no key: no constant equals them.
 *
 * @param path a path below {@code tags} or {@code properties}, read from the twin itself
 * @param key  the constant's key
 */
public record EqualityLookup(AttributePath path, Object key) {

    /** The key of JSON null, which {@code = null} matches. */
    public static final Object NULL_KEY = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** The first {@code path = constant} term the condition requires, if it has one the sources can index. */
    static Optional<EqualityLookup> in(Expression condition) {
        if (condition instanceof Expression.Binary binary && binary.operator() == BinaryOperator.AND) {
            Optional<EqualityLookup> left = in(binary.left());
            return left.isPresent() ? left : in(binary.right());
        }
        if (condition instanceof Expression.Binary binary && binary.operator() == BinaryOperator.EQUAL) {
            Optional<EqualityLookup> forward = term(binary.left(), binary.right());
            return forward.isPresent() ? forward : term(binary.right(), binary.left());
        }
        return Optional.empty();
    }

    private static Optional<EqualityLookup> term(Expression attribute, Expression constant) {
        if (attribute instanceof Expression.Attribute a && constant instanceof Expression.Constant c
                && isTwinPath(a.path())) {
            return key(QueryValues.of(c.value())).map(key -> new EqualityLookup(a.path(), key));
        }
        return Optional.empty();
    }

    /** True for the paths a twin document answers itself: below {@code tags} or {@code properties}. */
    public static boolean isTwinPath(AttributePath path) {
        String first = path.segments().get(0);
        return path.segments().size() > 1 && (first.equals("tags") || first.equals("properties"));
    }

    /** The key of a twin's value at an indexed path; empty for a missing value, an object or an array. */
    public static Optional<Object> keyOf(JsonElement value) {
        if (value == null || value.isJsonObject() || value.isJsonArray()) {
            return Optional.empty();
        }
        if (value.isJsonNull()) {
            return Optional.of(NULL_KEY);
        }
        JsonPrimitive primitive = value.getAsJsonPrimitive();
        return key(QueryValues.of(primitive));
    }

    private static Optional<Object> key(Operand operand) {
        if (operand instanceof Operand.Text text) {
            return Optional.of(text.value());
        }
        if (operand instanceof Operand.Bool bool) {
            return Optional.of(bool.value());
        }
        if (operand instanceof Operand.Numeric number) {
            double value = number.asDouble();
            // -0.0 and 0.0 are one number to the query language
            return Optional.of(value == 0.0 ? 0.0 : value);
        }
        if (operand == Structure.NULL) {
            return Optional.of(NULL_KEY);
        }
        return Optional.empty();
    }
}
