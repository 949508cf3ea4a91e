package lab.devicetwins.localhub.twin;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Formats instants the way IoT Hub writes its timestamps, in twins and in the registry alike: UTC with exactly seven
 * fraction digits ({@code 2026-11-27T14:05:01.1234567Z}), and {@code 0001-01-01T00:00:00Z} for {@link #NEVER}. Both
 * Java SDKs split the fraction off and read at most its first three digits, and the .NET SDKs expect the full seven.
 */
public final class HubTimestamp {
    /** IoT Hub's "never" (a device that never connected, a status never changed). */
    public static final Instant NEVER = Instant.parse("0001-01-01T00:00:00Z");
    private static final String NEVER_TEXT = "0001-01-01T00:00:00Z";

    private static final DateTimeFormatter SEVEN_DIGITS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private HubTimestamp() {
    }

    /**
     * The instant in hub form; precision beyond 100 ns is cut off, as the hub's clock has none.
     *
     * <p>Written out by hand for years 0-9999: every saved change formats several timestamps (metadata, registry
     * times), and the pattern formatter cost about 7% of the hub's CPU for a reported-property PATCH.
     */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return SEVEN_DIGITS.format(instant);
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        char[] out = new char[28];
        digits(out, 0, t.getYear(), 4);
        out[4] = '-';
        digits(out, 5, t.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, t.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, t.getHour(), 2);
        out[13] = ':';
        digits(out, 14, t.getMinute(), 2);
        out[16] = ':';
        digits(out, 17, t.getSecond(), 2);
        out[19] = '.';
        digits(out, 20, instant.getNano() / 100, 7);
        out[27] = 'Z';
        return new String(out);
    }

    /** As {@link #format}, but {@link #NEVER} is written {@code 0001-01-01T00:00:00Z}, as IoT Hub's registry writes it. */
    public static String formatOrNever(Instant instant) {
        return instant.equals(NEVER) ? NEVER_TEXT : format(instant);
    }

    private static final long FIRST_SECOND = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long LAST_SECOND = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
