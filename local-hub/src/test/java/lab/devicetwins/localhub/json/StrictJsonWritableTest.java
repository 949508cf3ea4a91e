package lab.devicetwins.localhub.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StrictJsonWritableTest {

    static Stream<Arguments> valuesJsonCannotCarry() {
        return Stream.of(
                Arguments.of(new JsonPrimitive(Double.NaN), "the hub cannot send NaN as a JSON number"),
                Arguments.of(new JsonPrimitive(Double.POSITIVE_INFINITY), "the hub cannot send Infinity as a JSON number"),
                Arguments.of(new JsonPrimitive(Float.NEGATIVE_INFINITY), "the hub cannot send -Infinity as a JSON number"),
                Arguments.of(new JsonPrimitive(new BigDecimal("1e400")), "the hub cannot send 1E+400 as a JSON number"),
                Arguments.of(new JsonPrimitive("half a pair \ud83d"), "the hub cannot send a string with an unpaired surrogate"),
                Arguments.of(new JsonPrimitive("\ude00 reversed \ud83d"),
                        "the hub cannot send a string with an unpaired surrogate"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("valuesJsonCannotCarry")
    void a_value_json_cannot_carry_is_a_server_error_naming_its_path(JsonElement value, String problem) {
        JsonObject reply = new JsonObject();
        JsonArray values = new JsonArray();
        values.add(1);
        values.add(value);
        reply.add("values", values);

        HubException refused = catchThrowableOfType(HubException.class, () -> StrictJson.requireWritable(reply));

        assertThat(refused.errorCode()).isEqualTo(HubErrorCode.SERVER_ERROR);
        assertThat(refused.getMessage()).isEqualTo(problem + " at $.values[1]");
    }

    @Test
    void a_key_with_an_unpaired_surrogate_is_refused_too() {
        JsonObject inner = new JsonObject();
        inner.addProperty("bad\ud800", 1);
        JsonObject reply = new JsonObject();
        reply.add("a", inner);

        HubException refused = catchThrowableOfType(HubException.class, () -> StrictJson.requireWritable(reply));

        assertThat(refused.getMessage()).isEqualTo("the hub cannot send an object key with an unpaired surrogate at $.a.bad\ud800");
    }

    @Test
    void a_reply_of_finite_numbers_and_valid_text_is_returned_as_it_is() {
        JsonObject reply = new JsonObject();
        reply.addProperty("temperature", 21.5);
        reply.addProperty("count", Long.MAX_VALUE);
        reply.addProperty("big", new BigDecimal("1e300"));
        reply.addProperty("text", "Zürich 😀");
        reply.add("parsed", StrictJson.parse("{\"echo\":[1.50,1e-999,\"\\ud83d\\ude00\"]}".getBytes(StandardCharsets.UTF_8)));

        assertThat(StrictJson.requireWritable(reply)).isSameAs(reply);
    }

    @Test
    void everything_the_reader_accepts_is_writable_and_reads_back_the_same() {
        byte[] text = "{\"a\":[1.50,-0,1E+2,\"\\u0000\\ud83d\\ude00\"],\"b\":{\"c\":null,\"d\":true}}"
                .getBytes(StandardCharsets.UTF_8);
        JsonElement parsed = StrictJson.parse(text);

        String written = StrictJson.requireWritable(parsed).toString();

        assertThat(StrictJson.parse(written.getBytes(StandardCharsets.UTF_8))).isEqualTo(parsed);
    }
}
