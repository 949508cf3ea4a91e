package lab.devicetwins.localhub.twin;

import java.util.Objects;

/**
 * The size and shape limits a twin write must respect. The defaults are IoT Hub's published limits; the other
 * values exist so tests and teaching material can show a limit being hit without building a 32 KB document.
 *
 * <p>All sizes are in bytes as measured by the twin size rule (see {@link TwinDocument}).
 */
public final class TwinLimits {
    /** Smallest integral value a twin accepts (-2^52). */
    public static final long MIN_INTEGER = -4_503_599_627_370_496L;
    /** Largest integral value a twin accepts (2^52 - 1). */
    public static final long MAX_INTEGER = 4_503_599_627_370_495L;

    private static final TwinLimits DEFAULTS = new TwinLimits(8 * 1024, 32 * 1024, 32 * 1024, 4 * 1024, 10, 1024, 4 * 1024);

    private final int tagsMaxBytes;
    private final int desiredMaxBytes;
    private final int reportedMaxBytes;
    private final int propertyMaxBytes;
    private final int maxDepth;
    private final int keyMaxBytes;
    private final int stringMaxBytes;

    private TwinLimits(int tagsMaxBytes, int desiredMaxBytes, int reportedMaxBytes, int propertyMaxBytes, int maxDepth,
            int keyMaxBytes, int stringMaxBytes) {
        this.tagsMaxBytes = positive("tagsMaxBytes", tagsMaxBytes);
        this.desiredMaxBytes = positive("desiredMaxBytes", desiredMaxBytes);
        this.reportedMaxBytes = positive("reportedMaxBytes", reportedMaxBytes);
        this.propertyMaxBytes = positive("propertyMaxBytes", propertyMaxBytes);
        this.maxDepth = positive("maxDepth", maxDepth);
        this.keyMaxBytes = positive("keyMaxBytes", keyMaxBytes);
        this.stringMaxBytes = positive("stringMaxBytes", stringMaxBytes);
    }

    /** IoT Hub's limits: tags 8 KB, desired and reported 32 KB each, 4 KB per property and string, 1 KB keys, depth 10. */
    public static TwinLimits defaults() {
        return DEFAULTS;
    }

    public int tagsMaxBytes() {
        return tagsMaxBytes;
    }

    public int desiredMaxBytes() {
        return desiredMaxBytes;
    }

    public int reportedMaxBytes() {
        return reportedMaxBytes;
    }

    /** Largest size of one top-level property (key plus value) in any section. */
    public int propertyMaxBytes() {
        return propertyMaxBytes;
    }

    /** How many levels of objects or arrays may sit below a section root. */
    public int maxDepth() {
        return maxDepth;
    }

    public int keyMaxBytes() {
        return keyMaxBytes;
    }

    public int stringMaxBytes() {
        return stringMaxBytes;
    }

    public TwinLimits withTagsMaxBytes(int bytes) {
        return new TwinLimits(bytes, desiredMaxBytes, reportedMaxBytes, propertyMaxBytes, maxDepth, keyMaxBytes, stringMaxBytes);
    }

    public TwinLimits withDesiredMaxBytes(int bytes) {
        return new TwinLimits(tagsMaxBytes, bytes, reportedMaxBytes, propertyMaxBytes, maxDepth, keyMaxBytes, stringMaxBytes);
    }

    public TwinLimits withReportedMaxBytes(int bytes) {
        return new TwinLimits(tagsMaxBytes, desiredMaxBytes, bytes, propertyMaxBytes, maxDepth, keyMaxBytes, stringMaxBytes);
    }

    public TwinLimits withPropertyMaxBytes(int bytes) {
        return new TwinLimits(tagsMaxBytes, desiredMaxBytes, reportedMaxBytes, bytes, maxDepth, keyMaxBytes, stringMaxBytes);
    }

    public TwinLimits withMaxDepth(int levels) {
        return new TwinLimits(tagsMaxBytes, desiredMaxBytes, reportedMaxBytes, propertyMaxBytes, levels, keyMaxBytes, stringMaxBytes);
    }

    public TwinLimits withKeyMaxBytes(int bytes) {
        return new TwinLimits(tagsMaxBytes, desiredMaxBytes, reportedMaxBytes, propertyMaxBytes, maxDepth, bytes, stringMaxBytes);
    }

    public TwinLimits withStringMaxBytes(int bytes) {
        return new TwinLimits(tagsMaxBytes, desiredMaxBytes, reportedMaxBytes, propertyMaxBytes, maxDepth, keyMaxBytes, bytes);
    }

    private static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TwinLimits that
                && tagsMaxBytes == that.tagsMaxBytes && desiredMaxBytes == that.desiredMaxBytes
                && reportedMaxBytes == that.reportedMaxBytes && propertyMaxBytes == that.propertyMaxBytes
                && maxDepth == that.maxDepth && keyMaxBytes == that.keyMaxBytes && stringMaxBytes == that.stringMaxBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tagsMaxBytes, desiredMaxBytes, reportedMaxBytes, propertyMaxBytes, maxDepth, keyMaxBytes,
                stringMaxBytes);
    }

    @Override
    public String toString() {
        return "TwinLimits[tags=" + tagsMaxBytes + ", desired=" + desiredMaxBytes + ", reported=" + reportedMaxBytes
                + ", property=" + propertyMaxBytes + ", depth=" + maxDepth + ", key=" + keyMaxBytes
                + ", string=" + stringMaxBytes + "]";
    }
}
