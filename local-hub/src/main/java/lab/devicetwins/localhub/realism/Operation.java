package lab.devicetwins.localhub.realism;

/**
 * The operations IoT Hub meters, each against a throttle of its own (quotas-and-throttling page of the IoT Hub
 * documentation). One request is one operation, except for direct methods, metered in 4 KB units of payload.
 */
public enum Operation {
    REGISTRY("identity registry operations", "registry"),
    NEW_CONNECTIONS("new device connections", "connections"),
    DEVICE_TO_CLOUD("device-to-cloud sends", "d2c"),
    QUERIES("queries", "queries"),
    TWIN_READS("twin reads", "twin-reads"),
    TWIN_UPDATES("twin updates", "twin-updates"),
    DIRECT_METHODS("direct methods (4 KB units)", "methods"),
    CLOUD_TO_DEVICE("cloud-to-device sends", "c2d"),
    JOBS("jobs operations", "jobs");

    /** The size of the meter direct methods are charged in. */
    public static final int METHOD_METER_BYTES = 4 * 1024;

    private final String description;
    private final String shortName;

    Operation(String description, String shortName) {
        this.description = description;
        this.shortName = shortName;
    }

    /** As the documentation's table names it. */
    public String description() {
        return description;
    }

    /** The name used in log lines, the inspector and the command line. */
    public String shortName() {
        return shortName;
    }

    /** How many 4 KB units a direct-method payload of {@code bytes} costs; an empty payload costs one. */
    public static int methodUnits(long bytes) {
        return (int) Math.max(1, (bytes + METHOD_METER_BYTES - 1) / METHOD_METER_BYTES);
    }
}
