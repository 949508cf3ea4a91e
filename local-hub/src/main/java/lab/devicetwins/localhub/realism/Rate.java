package lab.devicetwins.localhub.realism;

import java.util.Locale;

/**
 * One throttle: operations let through per second on average, how many may come at once before shaping starts
 * ({@code burst}), and the documented figure it comes from, for people to read.
 *
 * @param perSecond the sustained rate; positive
 * @param burst     how many operations an idle throttle lets through at once: one documented window's worth (a
 *                  minute's for a per-minute quota, a second's for a per-second one), at least one
 * @param source    the quota as the documentation states it, with the units it was computed for
 */
public record Rate(double perSecond, double burst, String source) {

    public Rate {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("a rate must be positive and finite, not " + perSecond);
        }
        if (!(burst >= 1) || Double.isInfinite(burst)) {
            throw new IllegalArgumentException("a burst must be at least 1, not " + burst);
        }
    }

    /** {@code count} per minute, all of which may come at once. */
    static Rate perMinute(double count, String source) {
        return new Rate(count / 60.0, count, source);
    }

    /** {@code count} per second, all of which may come at once. */
    static Rate perSecond(double count, String source) {
        return new Rate(count, count, source);
    }

    /** "1.67/s (burst 100)". */
    public String summary() {
        return String.format(Locale.ROOT, "%s/s (burst %s)", trim(perSecond), trim(burst));
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
