package lab.devicetwins.localhub.query;

import java.util.Collection;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The twins a query runs over, in ascending {@link QueryRow#key() key} order ({@link String#compareTo},
 * which for the ASCII ids IoT Hub allows is also byte order). Pages start strictly after the last device id sent, so
 * rows added or removed between pages cause neither duplicates nor gaps among the rows that exist throughout.
 */
@FunctionalInterface
public interface TwinSource {

    /**
     * The rows whose device id sorts after {@code lastDeviceId}, in ascending order; all rows when it is null. The
     * engine stops iterating as soon as it has a page (plus one row to know whether another page exists), so a lazy
     * iterable pays only for what is read.
     */
    Iterable<QueryRow> after(String lastDeviceId);

    /**
     * The rows after {@code lastDeviceId} (all when null) that may have the lookup's value at its path, in ascending
     * order, when this source has an index for the path; empty when it has none and the engine must read every row.
     * The rows may include some that do not match (the engine evaluates the whole condition on each), never omit
     * one that does.
     */
    default Optional<Iterable<QueryRow>> matching(EqualityLookup lookup, String lastDeviceId) {
        return Optional.empty();
    }

    /**
     * A source over a fixed set of rows, sorted once. For callers that have the twins at hand (tests, or a hub
     * that renders its twins for a query).
     *
     * @throws IllegalArgumentException when two rows have the same device id
     */
    static TwinSource of(Collection<? extends QueryRow> rows) {
        NavigableMap<String, QueryRow> byId = new TreeMap<>();
        for (QueryRow row : rows) {
            if (byId.put(row.key(), row) != null) {
                throw new IllegalArgumentException("two rows for device '" + row.key() + "'");
            }
        }
        NavigableMap<String, QueryRow> sorted = Collections.unmodifiableNavigableMap(byId);
        return lastDeviceId -> lastDeviceId == null
                ? sorted.values()
                : sorted.tailMap(lastDeviceId, false).values();
    }
}
