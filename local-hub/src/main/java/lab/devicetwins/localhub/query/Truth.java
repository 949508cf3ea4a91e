package lab.devicetwins.localhub.query;

/**
 * What a condition evaluates to. Only {@link #TRUE} selects a twin; {@link #UNDEFINED} (comparing a missing property,
 * or values of different kinds) is neither true nor false, so {@code NOT} keeps it undefined.
 */
enum Truth {
    TRUE, FALSE, UNDEFINED;

    static Truth of(boolean value) {
        return value ? TRUE : FALSE;
    }

    Truth not() {
        return switch (this) {
            case TRUE -> FALSE;
            case FALSE -> TRUE;
            case UNDEFINED -> UNDEFINED;
        };
    }

    /** False wins over undefined: {@code false AND x} is false whatever x is. */
    Truth and(Truth other) {
        if (this == FALSE || other == FALSE) {
            return FALSE;
        }
        return this == TRUE && other == TRUE ? TRUE : UNDEFINED;
    }

    /** True wins over undefined: {@code true OR x} is true whatever x is. */
    Truth or(Truth other) {
        if (this == TRUE || other == TRUE) {
            return TRUE;
        }
        return this == FALSE && other == FALSE ? FALSE : UNDEFINED;
    }

    /** The boolean a condition yields when used as a value, e.g. in {@code (a = 1) = true}; null when undefined. */
    Operand asOperand() {
        return this == UNDEFINED ? null : new Operand.Bool(this == TRUE);
    }
}
