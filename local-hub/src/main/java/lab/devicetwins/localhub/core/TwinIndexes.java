package lab.devicetwins.localhub.core;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import lab.devicetwins.localhub.query.AttributePath;
import lab.devicetwins.localhub.query.EqualityLookup;
import lab.devicetwins.localhub.twin.TwinDocument;

/**
 * Equality indexes over the live twins, one per twin path that queries test with {@code path = constant}: for each
 * value at the path, the ids of the devices that have it, in id order. An index is built the first time a query asks
 * for its path (one pass over the devices) and kept current by every twin change from then on, under the device's
 * lock, before the change is acknowledged; so a query answered from an index sees every acknowledged write, as a
 * scan does. At most {@link #MAX_INDEXES} paths are indexed; asking for another drops the one least recently used.
 */
final class TwinIndexes {
    /** Enough for the handful of paths an application filters on; each costs about 100 bytes per device. */
    static final int MAX_INDEXES = 16;

    private final Map<AttributePath, PathIndex> indexes = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();

    /** Called with the entry's lock held after its twin changed (or it was added), with its key: every index follows. */
    void changed(String deviceId, TwinDocument twin) {
        for (PathIndex index : indexes.values()) {
            index.put(deviceId, twin);
        }
    }

    /** Called with the device's lock held after it was removed. */
    void removed(String deviceId) {
        for (PathIndex index : indexes.values()) {
            index.remove(deviceId);
        }
    }

    /**
     * The ids of the devices whose value at the lookup's path has its key, in ascending order, building the path's
     * index first when there is none.
     *
     * @param devices the live devices, read once to build a new index
     */
    NavigableSet<String> lookup(EqualityLookup lookup, Supplier<Collection<DeviceEntry>> devices) {
        PathIndex index = indexes.get(lookup.path());
        if (index == null || !index.ready) {
            // not built, or still being filled by another query: wait for the builder rather than read half an index
            index = build(lookup.path(), devices.get());
        }
        index.lastUsed = clock.incrementAndGet();
        return index.ids(lookup.key());
    }

    /** How many paths are indexed now. */
    int size() {
        return indexes.size();
    }

    private synchronized PathIndex build(AttributePath path, Collection<DeviceEntry> devices) {
        PathIndex existing = indexes.get(path);
        if (existing != null && existing.ready) {
            return existing;
        }
        if (indexes.size() >= MAX_INDEXES) {
            indexes.values().stream().min(Comparator.comparingLong(i -> i.lastUsed))
                    .ifPresent(oldest -> indexes.remove(oldest.path));
        }
        PathIndex index = new PathIndex(path);
        // registered first, so changes made while it fills are applied to it; each device is then read under its
        // lock, so a fill never overwrites a newer change
        indexes.put(path, index);
        for (DeviceEntry entry : devices) {
            synchronized (entry) {
                if (!entry.removed()) {
                    index.put(entry.identity().key(), entry.twin());
                }
            }
        }
        index.ready = true;
        return index;
    }

    /** One path's index: value key to device ids, and each device's current key to move it when its value changes. */
    private static final class PathIndex {
        private final AttributePath path;
        private final Map<Object, NavigableSet<String>> idsByKey = new ConcurrentHashMap<>();
        private final Map<String, Object> keyById = new ConcurrentHashMap<>();
        private volatile long lastUsed;
        /** Set once every device has been read into it; queries use only ready indexes. */
        private volatile boolean ready;

        PathIndex(AttributePath path) {
            this.path = path;
        }

        void put(String deviceId, TwinDocument twin) {
            Optional<Object> key = EqualityLookup.keyOf(twin.lookup(path.segments()));
            Object previous = key.isPresent() ? keyById.put(deviceId, key.get()) : keyById.remove(deviceId);
            if (previous != null && !previous.equals(key.orElse(null))) {
                drop(previous, deviceId);
            }
            // add and drop both run inside the map's per-key compute, so a set emptied by one device's move is never
            // dropped while another device is being added to it
            key.ifPresent(k -> idsByKey.compute(k, (any, ids) -> {
                NavigableSet<String> set = ids != null ? ids : new ConcurrentSkipListSet<>();
                set.add(deviceId);
                return set;
            }));
        }

        void remove(String deviceId) {
            Object previous = keyById.remove(deviceId);
            if (previous != null) {
                drop(previous, deviceId);
            }
        }

        private void drop(Object key, String deviceId) {
            idsByKey.computeIfPresent(key, (k, ids) -> {
                ids.remove(deviceId);
                return ids.isEmpty() ? null : ids;
            });
        }

        NavigableSet<String> ids(Object key) {
            NavigableSet<String> ids = idsByKey.get(key);
            return ids != null ? ids : new ConcurrentSkipListSet<>();
        }
    }
}
