package lab.devicetwins.localhub.core;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.twin.TwinDocument;

/**
 * Committed changes to identities and twins, for whoever wants to watch them (the inspector page). The registry and
 * the twin operations publish after the store has committed, never before, so a listener never sees a change that a
 * failed commit takes back.
 *
 * <p>The twin write path is benchmarked: with no listener, publishing costs one volatile read and nothing is
 * allocated ({@link #listened()} is checked first). Listeners are called on the committing thread and must only hand
 * the change on (to their own thread); a listener that throws is logged and does not fail the write.
 */
public final class TwinChangeFeed {
    private static final Logger LOG = Logger.getLogger(TwinChangeFeed.class.getName());
    private static final Listener[] NONE = new Listener[0];

    /** Who made the change: the device over MQTT, or the service side (REST API, registry, inspector). */
    public enum Writer { DEVICE, SERVICE }

    /** What happened to the identity. */
    public enum Kind {
        /** Tags, desired or reported properties changed. */
        TWIN,
        /** The identity was created (its first twin is {@link Change#after()}). */
        CREATED,
        /** Status, credentials or capabilities changed. */
        UPDATED,
        /** The identity was deleted ({@link Change#after()} is its last twin). */
        DELETED,
        /** The identity connected or disconnected. */
        CONNECTION
    }

    /**
     * One committed change. {@code before} is null for {@link Kind#CREATED}; for other kinds it may be the same
     * document as {@code after} when only the registry record changed. Twin documents are immutable, so holding them
     * costs nothing at publish time.
     */
    public record Change(String key, Kind kind, Writer writer, DeviceIdentity identity, TwinDocument before,
                         TwinDocument after, Instant at) {
        public Change {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(writer, "writer");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(at, "at");
        }
    }

    /** Hears every committed change; called on the committing thread, so it must return quickly. */
    @FunctionalInterface
    public interface Listener {
        void changed(Change change);
    }

    private final Clock clock;
    private volatile Listener[] listeners = NONE;

    /** A feed that stamps changes with {@code clock} (the hub's). */
    public TwinChangeFeed(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** True when someone listens: publishers check it before building a {@link Change}. */
    public boolean listened() {
        return listeners.length > 0;
    }

    /** Adds a listener; the returned handle removes it. */
    public synchronized AutoCloseable subscribe(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        Listener[] more = Arrays.copyOf(listeners, listeners.length + 1);
        more[listeners.length] = listener;
        listeners = more;
        return () -> unsubscribe(listener);
    }

    private synchronized void unsubscribe(Listener listener) {
        listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(Listener[]::new);
    }

    /** Hands a committed change to every listener. */
    void publish(Change change) {
        for (Listener listener : listeners) {
            try {
                listener.changed(change);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a change listener failed; the change itself is committed", e);
            }
        }
    }

    /** Publishes when someone listens; {@code before} may be null for a created identity. */
    void publish(String key, Kind kind, Writer writer, DeviceIdentity identity, TwinDocument before,
                 TwinDocument after) {
        if (listened()) {
            publish(new Change(key, kind, writer, identity, before, after, clock.instant()));
        }
    }
}
