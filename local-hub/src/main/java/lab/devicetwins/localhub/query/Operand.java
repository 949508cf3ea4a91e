package lab.devicetwins.localhub.query;

/**
 * A value met while a condition is evaluated: what a path, a constant or a computation yields. Java {@code null}
 * stands for undefined: a missing property, the {@code undefined} constant, a division by zero, a function given
 * the wrong kind of value. Undefined compares with nothing and is neither true nor false.
 */
sealed interface Operand {

    /** A number: whole while it fits a long (as JSON integers do), otherwise a double. */
    sealed interface Numeric extends Operand {
        double asDouble();
    }

    record Whole(long value) implements Numeric {
        @Override
        public double asDouble() {
            return value;
        }
    }

    /** Never NaN: a computation that yields NaN is undefined instead (see {@link QueryValues#real}). */
    record Real(double value) implements Numeric {
        @Override
        public double asDouble() {
            return value;
        }
    }

    record Text(String value) implements Operand {}

    record Bool(boolean value) implements Operand {}

    /** Values with a kind but nothing to compare: JSON null (equal only to null), objects and arrays. */
    enum Structure implements Operand { NULL, OBJECT, ARRAY }
}
