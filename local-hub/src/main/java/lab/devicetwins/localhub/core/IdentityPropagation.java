package lab.devicetwins.localhub.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Realistic mode: a new identity is not usable on the device side at once. For a while after its creation its
 * connections are refused, as a real hub may refuse them until the new identity has reached the gateway the device
 * connects to; the SDKs retry such a refusal. Created identities are heard on the {@link TwinChangeFeed}, so every
 * way of creating one (REST, bulk, the inspector) counts.
 *
 * <p>With no delay, nothing subscribes and {@link #refusingUntil} is always empty.
 */
public final class IdentityPropagation {
    private static final IdentityPropagation NONE = new IdentityPropagation();

    private final Duration delay;
    private final Clock clock;
    private final Map<String, Instant> usableFrom = new ConcurrentHashMap<>();

    private IdentityPropagation() {
        this.delay = Duration.ZERO;
        this.clock = null;
    }

    private IdentityPropagation(TwinChangeFeed changes, Duration delay, Clock clock) {
        this.delay = delay;
        this.clock = clock;
        changes.subscribe(this::changed); // for the hub's lifetime
    }

    /** Refuses new identities' connections for {@code delay} after their creation; nothing at all for zero. */
    public static IdentityPropagation after(TwinChangeFeed changes, Duration delay, Clock clock) {
        Objects.requireNonNull(delay, "delay");
        return delay.isZero() ? NONE : new IdentityPropagation(Objects.requireNonNull(changes, "changes"), delay,
                Objects.requireNonNull(clock, "clock"));
    }

    private void changed(TwinChangeFeed.Change change) {
        if (change.kind() == TwinChangeFeed.Kind.CREATED) {
            usableFrom.put(change.key(), change.at().plus(delay));
        } else if (change.kind() == TwinChangeFeed.Kind.DELETED) {
            usableFrom.remove(change.key());
        }
    }

    /** Until when connections of the identity ({@code deviceId} or {@code deviceId/moduleId}) are refused. */
    public Optional<Instant> refusingUntil(String key) {
        if (usableFrom.isEmpty()) {
            return Optional.empty();
        }
        Instant until = usableFrom.get(key);
        if (until == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(until)) {
            usableFrom.remove(key, until);
            return Optional.empty();
        }
        return Optional.of(until);
    }
}
