package lab.devicetwins.localhub.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import lab.devicetwins.localhub.query.QueryRow;
import lab.devicetwins.localhub.query.TwinSource;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.IdentityKey;
import lab.devicetwins.localhub.twin.TwinDocument;

/**
 * A copy of the directory's identities and twins that trails committed changes by a fixed lag, as IoT Hub's query
 * index does: a change committed at {@code t} (the time {@link TwinChangeFeed} stamps it with, from the hub's clock)
 * is seen from {@code t + lag} on. It starts from what the directory holds when it is made, so stored data is
 * indexed at once, and hears every later change from the feed.
 *
 * <p>Changes wait in arrival order, which per identity is commit order. Nothing runs on a timer: the changes that
 * are due are applied when the index is read, and when a change arrives (so a hub nobody queries holds at most one
 * lag's worth of changes). The index has no equality indexes; a query reads every row after its continuation key.
 */
final class DelayedQueryIndex implements TwinChangeFeed.Listener {

    private record Indexed(DeviceIdentity identity, TwinDocument twin) {
    }

    private record Pending(Instant visibleAt, TwinChangeFeed.Change change) {
    }

    private final NavigableMap<String, Indexed> devices = new ConcurrentSkipListMap<>();
    private final NavigableMap<String, Indexed> modules = new ConcurrentSkipListMap<>();
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    /** One applier at a time, so changes to one identity are applied in the order they came. */
    private final ReentrantLock applying = new ReentrantLock();
    private final Clock clock;
    private final Duration lag;
    private final TwinRenderer renderer;

    private DelayedQueryIndex(Clock clock, Duration lag, TwinRenderer renderer) {
        this.clock = clock;
        this.lag = lag;
        this.renderer = renderer;
    }

    /**
     * An index of the directory that trails it by {@code lag}, listening to its change feed from now on.
     *
     * @throws IllegalArgumentException when the lag is not positive (with no lag, query the directory itself)
     */
    static DelayedQueryIndex of(DeviceDirectory directory, Duration lag, TwinRenderer renderer) {
        Objects.requireNonNull(lag, "lag");
        if (lag.isNegative() || lag.isZero()) {
            throw new IllegalArgumentException("a delayed query index needs a positive lag, not " + lag);
        }
        DelayedQueryIndex index = new DelayedQueryIndex(directory.clock(), lag, Objects.requireNonNull(renderer));
        // listen first, copy second: a change in between is in the copy already and arrives again later, unchanged
        directory.changes().subscribe(index);
        index.applying.lock();
        try {
            for (DeviceEntry entry : directory.everyIdentity()) {
                synchronized (entry) {
                    DeviceIdentity identity = entry.identity();
                    index.table(identity.key()).put(identity.key(), new Indexed(identity, entry.twin()));
                }
            }
        } finally {
            index.applying.unlock();
        }
        return index;
    }

    @Override
    public void changed(TwinChangeFeed.Change change) {
        pending.add(new Pending(change.at().plus(lag), change));
        // the committing thread does not wait for a reader that is applying: the reader applies this one too
        if (applying.tryLock()) {
            try {
                applyDue();
            } finally {
                applying.unlock();
            }
        }
    }

    /** The indexed devices (or modules) as queries see them now, in key order. */
    TwinSource source(boolean ofModules) {
        applying.lock();
        try {
            applyDue();
        } finally {
            applying.unlock();
        }
        NavigableMap<String, Indexed> table = ofModules ? modules : devices;
        return lastKey -> () -> rows((lastKey == null ? table : table.tailMap(lastKey, false)).values().iterator());
    }

    private void applyDue() {
        Instant now = clock.instant();
        for (Pending next = pending.peek(); next != null && !next.visibleAt().isAfter(now); next = pending.peek()) {
            apply(pending.remove().change());
        }
    }

    private void apply(TwinChangeFeed.Change change) {
        NavigableMap<String, Indexed> table = table(change.key());
        if (change.kind() == TwinChangeFeed.Kind.DELETED) {
            table.remove(change.key());
        } else {
            table.put(change.key(), new Indexed(change.identity(), change.after()));
        }
    }

    private NavigableMap<String, Indexed> table(String key) {
        return IdentityKey.isModule(key) ? modules : devices;
    }

    private Iterator<QueryRow> rows(Iterator<Indexed> indexed) {
        return TwinRow.rows(indexed, Indexed::identity, Indexed::twin, renderer);
    }
}
