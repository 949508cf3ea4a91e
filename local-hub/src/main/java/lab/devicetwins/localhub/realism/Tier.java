package lab.devicetwins.localhub.realism;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The IoT Hub tiers that have device twins, with the throttles of IoT Hub's quotas-and-throttling page
 * (learn.microsoft.com/azure/iot-hub/iot-hub-devguide-quotas-throttling, revision of 2025-05-21) for a number of
 * units. The basic tiers have no twins and are not offered.
 */
public enum Tier {
    FREE(1, 1),
    S1(200, 1),
    S2(200, 5),
    S3(10, 10);

    private final int maxUnits;
    private final int activeJobLimit;

    Tier(int maxUnits, int activeJobLimit) {
        this.maxUnits = maxUnits;
        this.activeJobLimit = activeJobLimit;
    }

    /** How many jobs may be active at once on a hub of this tier ("maximum concurrent jobs" on the quotas page). */
    public int activeJobLimit() {
        return activeJobLimit;
    }

    /** The most units a hub of this tier can have (a free hub has one). */
    public int maxUnits() {
        return maxUnits;
    }

    public String profileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Every throttle of a hub of this tier with {@code units} units.
     *
     * @throws IllegalArgumentException when {@code units} is outside 1..{@link #maxUnits()}
     */
    public Map<Operation, Rate> rates(int units) {
        if (units < 1 || units > maxUnits) {
            throw new IllegalArgumentException("a " + profileName() + " hub has 1" + (maxUnits > 1 ? " to " + maxUnits : "")
                    + " unit" + (maxUnits > 1 ? "s" : "") + ", not " + units);
        }
        Map<Operation, Rate> rates = new EnumMap<>(Operation.class);
        String u = " x " + units + " unit" + (units == 1 ? "" : "s");
        boolean s3 = this == S3;
        boolean s2 = this == S2;
        rates.put(Operation.REGISTRY, s3
                ? Rate.perMinute(5000.0 * units, "5,000/min/unit" + u)
                : Rate.perMinute(100.0 * units, "100/min/unit" + u));
        Rate connections = s3 ? Rate.perSecond(6000.0 * units, "6,000/s/unit" + u)
                : s2 ? Rate.perSecond(120.0 * units, "120/s/unit" + u)
                : Rate.perSecond(Math.max(100, 12.0 * units), "higher of 100/s or 12/s/unit" + u);
        rates.put(Operation.NEW_CONNECTIONS, connections);
        rates.put(Operation.DEVICE_TO_CLOUD, connections);
        rates.put(Operation.QUERIES, s3
                ? Rate.perMinute(1000.0 * units, "1,000/min/unit" + u)
                : Rate.perMinute(20.0 * units, "20/min/unit" + u));
        rates.put(Operation.TWIN_READS, s3 ? Rate.perSecond(500.0 * units, "500/s/unit" + u)
                : s2 ? Rate.perSecond(Math.max(100, 10.0 * units), "higher of 100/s or 10/s/unit" + u)
                : Rate.perSecond(100, "100/s"));
        rates.put(Operation.TWIN_UPDATES, s3 ? Rate.perSecond(250.0 * units, "250/s/unit" + u)
                : s2 ? Rate.perSecond(Math.max(50, 5.0 * units), "higher of 50/s or 5/s/unit" + u)
                : Rate.perSecond(50, "50/s"));
        // 160 KB/s, 480 KB/s, 24 MB/s per unit, charged in 4 KB units
        rates.put(Operation.DIRECT_METHODS, s3 ? Rate.perSecond(6144.0 * units, "24 MB/s/unit in 4 KB units" + u)
                : s2 ? Rate.perSecond(120.0 * units, "480 KB/s/unit in 4 KB units" + u)
                : Rate.perSecond(40.0 * units, "160 KB/s/unit in 4 KB units" + u));
        rates.put(Operation.CLOUD_TO_DEVICE, s3
                ? Rate.perMinute(5000.0 * units, "83.33/s/unit" + u)
                : Rate.perMinute(100.0 * units, "1.67/s/unit" + u));
        rates.put(Operation.JOBS, s3
                ? Rate.perMinute(5000.0 * units, "83.33/s/unit" + u)
                : Rate.perMinute(100.0 * units, "1.67/s/unit" + u));
        return rates;
    }
}
