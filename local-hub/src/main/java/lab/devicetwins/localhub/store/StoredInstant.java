package lab.devicetwins.localhub.store;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the instants {@link IdentityRecord} writes ({@link Instant#toString()}: {@code 2026-12-01T12:00:00.123Z}, a
 * four-digit year, zero to nine fraction digits). {@link Instant#parse} builds a formatter on every call, and a hub
 * reads four instants per device at start, four million at a million devices; this reads the common form directly
 * and leaves every other form to {@link Instant#parse}, so it accepts exactly what that accepts.
 */
final class StoredInstant {
    private static final int DATE_TIME_LENGTH = "uuuu-MM-ddTHH:mm:ss".length();

    private StoredInstant() {
    }

    static Instant parse(String text) {
        Instant fast = direct(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** The instant when {@code text} has the common form, else null. */
    private static Instant direct(String text) {
        int length = text.length();
        if (length < DATE_TIME_LENGTH + 1 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        int end = length - 1;
        if (end > DATE_TIME_LENGTH) {
            int fractionDigits = end - DATE_TIME_LENGTH - 1;
            if (text.charAt(DATE_TIME_LENGTH) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            int fraction = digits(text, DATE_TIME_LENGTH + 1, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (DateTimeException notADate) {
            return null;
        }
    }

    /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
