package lab.devicetwins.localhub.twin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Formats instants the way IoT Hub writes twin timestamps: UTC with exactly seven fraction digits
 * ({@code 2026-11-27T14:05:01.1234567Z}). Both Java SDKs split the fraction off and read at most its first three
 * digits, and the .NET SDKs expect the full seven.
 */
public final class HubTimestamp {
    private static final DateTimeFormatter SEVEN_DIGITS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private HubTimestamp() {
    }

    /** The instant in hub form; precision beyond 100 ns is cut off, as the hub's clock has none. */
    public static String format(Instant instant) {
        return SEVEN_DIGITS.format(instant);
    }
}
