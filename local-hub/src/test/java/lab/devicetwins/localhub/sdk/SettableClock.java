package lab.devicetwins.localhub.sdk;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A hub clock a test moves by hand, so timestamps the hub writes can be compared exactly. It starts at the real time
 * (whole seconds): SAS tokens the SDKs create from the real clock must stay valid, so move it by minutes, not hours.
 */
public final class SettableClock extends Clock {
    private volatile Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    public Instant set(Instant instant) {
        this.now = instant;
        return instant;
    }

    /** Moves the clock forward and returns the new time. */
    public Instant advanceSeconds(long seconds) {
        return set(now.plusSeconds(seconds));
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
