package lab.devicetwins.localhub.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import lab.devicetwins.localhub.json.StrictJson;
import org.junit.jupiter.api.Test;

/** Numbers far longer than any twin value: refused or accepted by their value, without parsing them at length. */
class LongNumberTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final TwinDocument TWIN = TwinDocument.createNew(T0, TwinLimits.defaults());

    private static JsonObject patch(String number) {
        return StrictJson.parse(("{\"n\":" + number + "}").getBytes(StandardCharsets.UTF_8)).getAsJsonObject();
    }

    @Test
    void an_integer_with_more_digits_than_the_range_allows_is_refused_naming_its_length() {
        TwinRuleViolation refused = catchThrowableOfType(TwinRuleViolation.class,
                () -> TWIN.patchReported(patch("9".repeat(300)), null, T0));

        assertThat(refused.getMessage()).contains("integer of 300 digits is outside the range");
    }

    @Test
    void the_longest_integers_in_range_are_accepted_and_one_past_them_is_refused() {
        assertThat(TWIN.patchReported(patch("-4503599627370496"), null, T0).changed()).isTrue();
        assertThat(TWIN.patchReported(patch("4503599627370495"), null, T0).changed()).isTrue();
        assertThat(catchThrowableOfType(TwinRuleViolation.class,
                () -> TWIN.patchReported(patch("-4503599627370497"), null, T0))).isNotNull();
    }

    @Test
    void a_finite_decimal_with_a_long_fraction_is_accepted() {
        assertThat(TWIN.patchReported(patch("0." + "1".repeat(250_000)), null, T0).changed()).isTrue();
    }
}
