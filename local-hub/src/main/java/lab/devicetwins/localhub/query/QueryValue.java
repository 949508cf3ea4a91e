package lab.devicetwins.localhub.query;

import java.util.List;

/** A constant written in a query: {@code 'text'}, {@code 42}, {@code 0x1F}, {@code true}, {@code null}, {@code [..]}. */
sealed interface QueryValue {

    record Text(String value) implements QueryValue {}

    /** Integral constants that fit are {@link Long}, everything else {@link Double}; the two compare numerically. */
    record Numeric(Number value) implements QueryValue {}

    record Bool(boolean value) implements QueryValue {}

    record Null() implements QueryValue {}

    /** The {@code undefined} constant: compares with nothing, like a missing property. */
    record Undefined() implements QueryValue {}

    record Array(List<QueryValue> elements) implements QueryValue {
        public Array {
            elements = List.copyOf(elements);
        }
    }
}
