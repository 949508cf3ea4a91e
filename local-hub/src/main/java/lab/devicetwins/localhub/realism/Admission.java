package lab.devicetwins.localhub.realism;

/**
 * What a throttle says about one operation: run it now, run it after a delay (traffic shaping), or refuse it (429).
 *
 * @param delayNanos how long to hold the operation before running it; 0 when it runs now or is refused
 * @param throttled  whether it is refused
 */
public record Admission(long delayNanos, boolean throttled) {

    /** Run it now: what every operation gets from the {@code local} profile. */
    public static final Admission NOW = new Admission(0, false);
    static final Admission THROTTLED = new Admission(0, true);

    public Admission {
        if (delayNanos < 0 || throttled && delayNanos != 0) {
            throw new IllegalArgumentException("a delay is never negative, and a refused operation has none");
        }
    }

    static Admission after(long delayNanos) {
        return delayNanos == 0 ? NOW : new Admission(delayNanos, false);
    }

    public boolean delayed() {
        return delayNanos > 0;
    }
}
