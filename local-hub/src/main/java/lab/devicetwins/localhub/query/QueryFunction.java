package lab.devicetwins.localhub.query;

import java.util.Locale;
import java.util.Optional;

/**
 * The functions a condition may call. IoT Hub documents only {@code IS_DEFINED} for twin queries; the others are
 * documented for message-routing conditions and accepted here as extensions.
 */
enum QueryFunction {
    IS_DEFINED(1, 1),
    IS_NULL(1, 1), IS_BOOL(1, 1), IS_NUMBER(1, 1), IS_STRING(1, 1), IS_OBJECT(1, 1), IS_ARRAY(1, 1),
    IS_PRIMITIVE(1, 1),
    AS_NUMBER(1, 1),
    ABS(1, 1), CEILING(1, 1), FLOOR(1, 1), SIGN(1, 1), SQRT(1, 1), EXP(1, 1), SQUARE(1, 1), POWER(2, 2),
    CONCAT(2, Integer.MAX_VALUE), LENGTH(1, 1), LOWER(1, 1), UPPER(1, 1), SUBSTRING(2, 3), INDEX_OF(2, 2),
    STARTS_WITH(2, 2), ENDS_WITH(2, 2), CONTAINS(2, 2);

    private final int minArguments;
    private final int maxArguments;

    QueryFunction(int minArguments, int maxArguments) {
        this.minArguments = minArguments;
        this.maxArguments = maxArguments;
    }

    static Optional<QueryFunction> named(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    boolean accepts(int argumentCount) {
        return argumentCount >= minArguments && argumentCount <= maxArguments;
    }

    String arity() {
        if (minArguments == maxArguments) {
            return minArguments == 1 ? "1 argument" : minArguments + " arguments";
        }
        return maxArguments == Integer.MAX_VALUE
                ? "at least " + minArguments + " arguments"
                : minArguments + " to " + maxArguments + " arguments";
    }
}
