package lab.devicetwins.localhub.query;

import java.util.Optional;

/** One element of a SELECT list, with the key it gets in each result object. */
sealed interface SelectItem {

    String key();

    /** {@code tags.location.plant [AS plant]}. */
    record Path(AttributePath path, String key) implements SelectItem {}

    /** {@code COUNT()}, {@code SUM(path)}, … with its alias, or {@code $1}, {@code $2} … when it has none. */
    record Aggregate(AggregateFunction function, Optional<AttributePath> argument, String key) implements SelectItem {}

    enum AggregateFunction { COUNT, SUM, AVG, MIN, MAX }
}
