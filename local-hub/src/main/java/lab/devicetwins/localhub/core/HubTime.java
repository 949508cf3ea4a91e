package lab.devicetwins.localhub.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import lab.devicetwins.localhub.twin.HubTimestamp;

/** Registry timestamps as IoT Hub writes them: seven fraction digits, and {@code 0001-01-01T00:00:00Z} for never. */
public final class HubTime {
    public static final Instant NEVER = Instant.parse("0001-01-01T00:00:00Z");

    private HubTime() {
    }

    public static String format(Instant instant) {
        if (instant == null || instant.equals(NEVER)) {
            return "0001-01-01T00:00:00Z";
        }
        return HubTimestamp.format(instant);
    }

    public static Instant parse(String text) {
        if (text == null || text.isEmpty()) {
            return NEVER;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return NEVER;
        }
    }
}
