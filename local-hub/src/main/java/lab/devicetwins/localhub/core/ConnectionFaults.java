package lab.devicetwins.localhub.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import lab.devicetwins.localhub.registry.IdentityKey;

/**
 * Connection faults on request, one mechanism for two callers: IoT Hub's fault injection, where a device's own
 * telemetry message asks the hub to end its connection after a delay and keep it out for a while (what the SDKs' test
 * suites use to prove reconnects), and the local hub's drop-connection, which a learner or a test asks for over HTTPS,
 * the command line or the API. The fault is an identity's state, not a connection's: the close after the delay ends
 * whatever connection the identity has then, and while the fault lasts every CONNECT of it is refused as "server
 * unavailable", which the SDKs retry.
 *
 * <p>The delay runs on an own daemon thread; the refusal window starts when the connection ends and is measured on the
 * hub's clock.
 */
public final class ConnectionFaults implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConnectionFaults.class.getName());

    /** The application property names a fault request carries, as the SDKs' test helpers send them. */
    public static final String TYPE = "AzIoTHub_FaultOperationType";
    public static final String CLOSE_REASON = "AzIoTHub_FaultOperationCloseReason";
    public static final String DELAY = "AzIoTHub_FaultOperationDelayInSecs";
    public static final String DURATION = "AzIoTHub_FaultOperationDurationInSecs";
    /** IoT Hub's test helpers use 5 s for both when nothing else is asked for. */
    static final Duration DEFAULT_SECONDS = Duration.ofSeconds(5);
    /** The longest delay or duration one request may ask for: two days, the longest anything lives on IoT Hub. */
    public static final Duration MAX_SECONDS = Duration.ofDays(2);

    /** How a connection ends. IoT Hub's other fault types are AMQP links and throttles, which MQTT has none of. */
    public enum Kind {
        /** As if the network failed: the connection just ends, no MQTT packet first. */
        KILL_TCP("KillTcp"),
        /** A graceful close of the connection (MQTT 3.1.1 has no server DISCONNECT, so the same on the wire here). */
        SHUT_DOWN_MQTT("ShutDownMqtt");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** A fault as asked for: end the connection after {@code delay}, then refuse connections for {@code duration}. */
    public record Fault(Kind kind, Duration delay, Duration duration, String closeReason) {
        public Fault {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(duration, "duration");
            if (delay.isNegative() || duration.isNegative() || delay.compareTo(MAX_SECONDS) > 0
                    || duration.compareTo(MAX_SECONDS) > 0) {
                throw new IllegalArgumentException("fault delay and duration must be within 0 and 2 days");
            }
        }
    }

    /**
     * What a telemetry message's application properties ask for: a fault, nothing (an ordinary message, or a fault
     * type that only AMQP has), or a fault request that cannot be read.
     */
    public sealed interface Request {
    }

    /** An ordinary message, or a fault type MQTT has nothing for: it is telemetry like any other. */
    public record NoFault() implements Request {
    }

    public record Requested(Fault fault) implements Request {
    }

    /** A KillTcp or ShutDownMqtt request with a delay or duration that is no whole number of seconds in range. */
    public record Unreadable(String reason) implements Request {
    }

    /** The device side: ends an identity's current connection. */
    public interface Connections {
        /** Ends the identity's current connection, if it has one; returns whether it had one. */
        boolean end(String key, Kind kind, String why);
    }

    /**
     * A fault of one identity: pending until its close has run ({@code refuseUntil} null), then lasting until
     * {@code refuseUntil}, measured on the hub's clock from the moment of the close.
     */
    private record State(String messageId, Instant refuseUntil, ScheduledFuture<?> close) {
        boolean pendingOrLasting(Instant now) {
            return refuseUntil == null || now.isBefore(refuseUntil);
        }
    }

    private final Clock clock;
    private final ScheduledThreadPoolExecutor timers;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private volatile Connections connections = (key, kind, why) -> false;

    public ConnectionFaults(Clock clock) {
        this.clock = clock;
        this.timers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = Executors.defaultThreadFactory().newThread(runnable);
            thread.setName("local-hub-connection-faults");
            thread.setDaemon(true);
            return thread;
        });
        timers.setRemoveOnCancelPolicy(true);
    }

    public void setConnections(Connections connections) {
        this.connections = connections;
    }

    /** Reads a fault request from a message's application properties (names compared exactly, as IoT Hub does). */
    public static Request read(Map<String, String> properties) {
        String type = properties.get(TYPE);
        if (type == null) {
            return new NoFault();
        }
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.wireName().equals(type)) {
                kind = k;
            }
        }
        if (kind == null) {
            return new NoFault();
        }
        Optional<Duration> delay = seconds(properties.get(DELAY));
        Optional<Duration> duration = seconds(properties.get(DURATION));
        if (delay.isEmpty() || duration.isEmpty()) {
            return new Unreadable(DELAY + " and " + DURATION + " must be whole numbers of seconds from 0 to "
                    + MAX_SECONDS.toSeconds());
        }
        return new Requested(new Fault(kind, delay.get(), duration.get(), properties.getOrDefault(CLOSE_REASON, "")));
    }

    private static Optional<Duration> seconds(String text) {
        if (text == null) {
            return Optional.of(DEFAULT_SECONDS);
        }
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        Duration d = Duration.ofSeconds(Long.parseLong(text));
        return d.compareTo(MAX_SECONDS) > 0 ? Optional.empty() : Optional.of(d);
    }

    /**
     * A fault an identity asked for in its message {@code messageId} (null when it had none). Ignored while an earlier
     * fault of the identity is pending or lasting, and when it repeats the message of the last fault (the SDK sends
     * an unacknowledged message again after reconnecting; it is the same request).
     *
     * @return whether the fault was scheduled
     */
    public boolean inject(String key, Fault fault, String messageId) {
        Instant now = clock.instant();
        boolean[] scheduled = {false};
        states.compute(key, (k, previous) -> {
            if (previous != null && (previous.pendingOrLasting(now)
                    || (messageId != null && messageId.equals(previous.messageId())))) {
                return previous;
            }
            String why = "fault injection: " + fault.kind().wireName()
                    + (fault.closeReason().isEmpty() ? "" : " (" + fault.closeReason() + ")");
            ScheduledFuture<?> close = timers.schedule(() -> {
                states.computeIfPresent(key, (k2, pending) -> pending.refuseUntil() != null ? pending
                        : new State(pending.messageId(), clock.instant().plus(fault.duration()), null));
                end(key, fault.kind(), why);
            }, fault.delay().toMillis(), TimeUnit.MILLISECONDS);
            scheduled[0] = true;
            return new State(messageId, null, close);
        });
        if (scheduled[0]) {
            LOG.info(IdentityKey.describe(key) + " asked for " + fault.kind().wireName() + " in "
                    + fault.delay().toSeconds() + " s, refusing its connections for " + fault.duration().toSeconds() + " s");
        }
        return scheduled[0];
    }

    /**
     * Ends the identity's connection now and refuses its connections for {@code refuseFor} (zero: it may reconnect at
     * once), replacing a pending fault.
     *
     * @return whether the identity had a connection to end
     */
    public boolean dropNow(String key, Duration refuseFor, boolean graceful) {
        if (refuseFor.isNegative() || refuseFor.compareTo(MAX_SECONDS) > 0) {
            throw new IllegalArgumentException("the refusal must last from 0 to 2 days");
        }
        State previous = states.put(key, new State(null, clock.instant().plus(refuseFor), null));
        if (previous != null && previous.close() != null) {
            previous.close().cancel(false);
        }
        return end(key, graceful ? Kind.SHUT_DOWN_MQTT : Kind.KILL_TCP, "dropped on request");
    }

    private boolean end(String key, Kind kind, String why) {
        try {
            return connections.end(key, kind, why);
        } catch (RuntimeException e) {
            LOG.warning("could not end the connection of " + IdentityKey.describe(key) + ": " + e.getMessage());
            return false;
        }
    }

    /** Until when the identity's connections are refused; empty when they are not (now, or in a pending fault). */
    public Optional<Instant> refusingUntil(String key) {
        State state = states.get(key);
        if (state == null || state.refuseUntil() == null || !clock.instant().isBefore(state.refuseUntil())) {
            return Optional.empty();
        }
        return Optional.of(state.refuseUntil());
    }

    /** The identity is gone: any pending fault of it goes too. */
    public void forget(String key) {
        State state = states.remove(key);
        if (state != null && state.close() != null) {
            state.close().cancel(false);
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
