package lab.devicetwins.localhub.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Numbers keep their text and answer every Gson accessor as Gson's own parse of the same text does. */
class StrictJsonNumberTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "21", "1.50", "0.000", "-1.5e-3", "1E+2", "1e2", "2147483647", "2147483648",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
            "1.7976931348623157e308", "4.9e-324", "1e-999", "1e-20000", "123.456e7", "1.5"})
    void a_number_answers_every_accessor_as_gsons_own_parse_does(String text) {
        JsonPrimitive strict = StrictJson.parse(text.getBytes(StandardCharsets.UTF_8)).getAsJsonPrimitive();
        JsonPrimitive gson = JsonParser.parseString(text).getAsJsonPrimitive();

        assertThat(strict.isNumber()).isTrue();
        assertThat(strict.getAsString()).isEqualTo(text);
        assertThat(strict.toString()).isEqualTo(text);
        assertThat(strict).isEqualTo(gson);
        assertThat(gson).isEqualTo(strict);
        assertThat(strict.hashCode()).isEqualTo(gson.hashCode());
        for (Function<JsonPrimitive, Object> accessor : accessors()) {
            assertThat(outcome(accessor, strict)).as(text).isEqualTo(outcome(accessor, gson));
        }
    }

    @Test
    void numbers_inside_a_tree_are_written_back_exactly_as_sent() {
        String text = "{\"t\":21,\"p\":1.50,\"e\":1E+2,\"z\":-0,\"a\":[0.10,1e-7]}";

        assertThat(StrictJson.parse(text.getBytes(StandardCharsets.UTF_8)).toString()).isEqualTo(text);
    }

    @Test
    void a_number_equals_the_same_value_built_in_code() {
        JsonPrimitive parsed = StrictJson.parse("1.50".getBytes(StandardCharsets.UTF_8)).getAsJsonPrimitive();

        assertThat(parsed).isEqualTo(new JsonPrimitive(1.5)).isEqualTo(new JsonPrimitive(new BigDecimal("1.5")));
    }

    private static List<Function<JsonPrimitive, Object>> accessors() {
        return List.of(JsonPrimitive::getAsInt, JsonPrimitive::getAsLong, JsonPrimitive::getAsShort,
                JsonPrimitive::getAsByte, JsonPrimitive::getAsFloat, JsonPrimitive::getAsDouble,
                JsonPrimitive::getAsBigDecimal, JsonPrimitive::getAsBigInteger);
    }

    /** The value, or the kind of exception, so "both refuse" compares equal without a hard-coded message. */
    private static Object outcome(Function<JsonPrimitive, Object> accessor, JsonPrimitive primitive) {
        try {
            return accessor.apply(primitive);
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }
}
