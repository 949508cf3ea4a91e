package lab.devicetwins.localhub.realism;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The hub's throttles at run time, one per {@link Operation}, as IoT Hub applies them: operations within the rate (and
 * an idle throttle's burst) run at once; above it they are held and let through at the rate (traffic shaping), each
 * for at most the profile's shaping limit; an operation that would have to wait longer is refused, and the caller hears
 * 429. A refused operation takes nothing from the throttle, so callers that back off get through.
 *
 * <p>Each throttle is a generic cell rate algorithm: it keeps the time at which the throttle would be idle again
 * ({@code due}), and an operation of cost {@code c} may start once {@code due + (c - 1) x interval} is within the
 * burst of now. The {@code local} profile's throttles ({@link #active()} false) admit everything without looking.
 *
 * <p>Thread-safe; the clock is a nanosecond counter ({@link System#nanoTime} outside tests).
 */
public final class Throttles {
    private static final Throttles NONE = new Throttles(null, Map.of(), System::nanoTime);

    private final HubProfile profile;
    private final Map<Operation, Throttle> throttles;
    private final LongSupplier nanoClock;

    private Throttles(HubProfile profile, Map<Operation, Throttle> throttles, LongSupplier nanoClock) {
        this.profile = profile;
        this.throttles = throttles;
        this.nanoClock = nanoClock;
    }

    /** The profile's throttles, timed by {@code nanoClock}; {@link #none()} for a profile without throttles. */
    public static Throttles of(HubProfile profile, LongSupplier nanoClock) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(nanoClock, "nanoClock");
        if (!profile.throttles()) {
            return NONE;
        }
        Map<Operation, Throttle> throttles = new EnumMap<>(Operation.class);
        long limit = profile.shapingLimit().toNanos();
        long start = nanoClock.getAsLong();
        profile.rates().forEach((operation, rate) -> throttles.put(operation, new Throttle(rate, limit, start)));
        return new Throttles(profile, Collections.unmodifiableMap(throttles), nanoClock);
    }

    /** False for the {@code local} profile: every admission is {@link Admission#NOW}. */
    public boolean active() {
        return profile != null;
    }

    /** Admits one operation. */
    public Admission admit(Operation operation) {
        return admit(operation, 1);
    }

    /**
     * Admits an operation that costs {@code cost} units of its throttle (a direct method's 4 KB units; 1 otherwise),
     * and counts it as admitted, shaped or throttled.
     */
    public Admission admit(Operation operation, int cost) {
        if (profile == null) {
            return Admission.NOW;
        }
        if (cost < 1) {
            throw new IllegalArgumentException("an operation costs at least 1, not " + cost);
        }
        return throttles.get(operation).admit(cost, nanoClock.getAsLong());
    }

    /** How many operations each throttle let through at once, held, and refused, since the hub started. */
    public Map<Operation, Counts> counts() {
        Map<Operation, Counts> counts = new EnumMap<>(Operation.class);
        throttles.forEach((operation, throttle) -> counts.put(operation, throttle.counts()));
        return counts;
    }

    /** The message of a 429, for a person reading an SDK exception or a log. */
    public String throttledMessage(Operation operation) {
        Rate rate = profile.rates().get(operation);
        Tier tier = profile.tier();
        String hub = (tier == Tier.FREE ? "a free hub" : "an " + tier.name() + " hub with " + profile.units() + " unit"
                + (profile.units() == 1 ? "" : "s"));
        return "The hub throttled this request: " + hub + " allows " + operation.description() + " at " + rate.source()
                + " = " + rate.summary() + ", and traffic shaping holds a request for at most "
                + HubProfile.format(profile.shapingLimit()) + ". Back off and retry (realistic mode, profile "
                + profile.name() + "; see docs/local-hub.md).";
    }

    /** A throttle's tally. */
    public record Counts(long admitted, long shaped, long throttled) {
    }

    /** One operation's throttle. */
    private static final class Throttle {
        private final long interval;
        private final long tolerance;
        private final long shapingLimit;
        private final LongAdder admitted = new LongAdder();
        private final LongAdder shaped = new LongAdder();
        private final LongAdder throttled = new LongAdder();
        private long due;

        Throttle(Rate rate, long shapingLimit, long now) {
            this.interval = Math.max(1, Math.round(1e9 / rate.perSecond()));
            this.tolerance = Math.round((rate.burst() - 1) * interval);
            this.shapingLimit = shapingLimit;
            this.due = now;
        }

        synchronized Admission admit(int cost, long now) {
            long idleFrom = Math.max(due, now);
            long start = Math.max(now, idleFrom + (cost - 1) * interval - tolerance);
            long delay = start - now;
            if (delay > shapingLimit) {
                throttled.increment();
                return Admission.THROTTLED;
            }
            due = idleFrom + cost * interval;
            (delay == 0 ? admitted : shaped).increment();
            return Admission.after(delay);
        }

        Counts counts() {
            return new Counts(admitted.sum(), shaped.sum(), throttled.sum());
        }
    }
}
