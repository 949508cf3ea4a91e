package lab.devicetwins.localhub.twin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HubTimestampTest {
    private static final DateTimeFormatter PATTERN =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-27T14:05:01.123456789Z", "2026-11-27T14:05:01Z", "1970-01-01T00:00:00Z",
            "0001-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999Z", "9999-12-31T23:59:59.9999999Z",
            "1999-12-31T23:59:59.0000001Z", "0000-01-01T00:00:00Z"})
    void formats_like_the_seven_digit_pattern(String text) {
        Instant instant = Instant.parse(text);

        assertThat(HubTimestamp.format(instant)).isEqualTo(PATTERN.format(instant));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z"})
    void years_outside_four_digits_fall_back_to_the_pattern(String text) {
        Instant instant = Instant.parse(text);

        assertThat(HubTimestamp.format(instant)).isEqualTo(PATTERN.format(instant));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 86_399, 951_782_400L, 1_798_000_000L, 4_102_444_800L})
    void every_second_of_sample_days_has_seven_fraction_digits(long epochSecond) {
        String formatted = HubTimestamp.format(Instant.ofEpochSecond(epochSecond, 1_234_567_00));

        assertThat(formatted).hasSize(28).endsWith(".1234567Z").isEqualTo(PATTERN.format(Instant.ofEpochSecond(epochSecond, 1_234_567_00)));
    }

    @Test
    void never_is_written_the_registry_way_and_any_other_instant_as_format_writes_it() {
        Instant instant = Instant.parse("2026-12-01T21:04:05.1234567Z");

        assertThat(HubTimestamp.formatOrNever(HubTimestamp.NEVER)).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(HubTimestamp.formatOrNever(instant)).isEqualTo(HubTimestamp.format(instant));
    }
}
