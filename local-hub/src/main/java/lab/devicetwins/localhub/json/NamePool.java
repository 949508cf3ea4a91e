package lab.devicetwins.localhub.json;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance of each object member name the reader meets, so a million twins that all have {@code $lastUpdated},
 * {@code temperature} or {@code location} hold one string for it instead of a million. Bounded, so bodies full of
 * made-up names cannot grow it without end: once it holds {@link #CAPACITY} names, new names are used as read.
 */
final class NamePool {
    /** Far more distinct names than a hub's twins use; at most a few megabytes of strings. */
    static final int CAPACITY = 65_536;
    /** Longer names are rare and would cost the pool more than sharing them saves. */
    static final int MAX_LENGTH = 64;

    private static final Map<String, String> NAMES = new ConcurrentHashMap<>();

    private NamePool() {
    }

    /** The pooled instance equal to {@code name}, pooling it when there is room. */
    static String of(String name) {
        if (name.length() > MAX_LENGTH) {
            return name;
        }
        String pooled = NAMES.get(name);
        if (pooled != null) {
            return pooled;
        }
        if (NAMES.size() >= CAPACITY) {
            return name;
        }
        pooled = NAMES.putIfAbsent(name, name);
        return pooled != null ? pooled : name;
    }
}
