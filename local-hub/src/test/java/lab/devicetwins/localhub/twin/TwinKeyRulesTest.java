package lab.devicetwins.localhub.twin;

import static lab.devicetwins.localhub.twin.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.time.Instant;
import java.util.stream.Stream;
import lab.devicetwins.localhub.errors.HubErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TwinKeyRulesTest {
    private static final Instant T0 = Instant.parse("2026-11-27T14:00:00Z");
    private static final TwinDocument NEW_TWIN = TwinDocument.createNew(T0, TwinLimits.defaults());

    static Stream<Arguments> forbiddenKeys() {
        return Stream.of(
                Arguments.of("b.c", "key contains '.', which twin keys may not contain"),
                Arguments.of("b$c", "key contains '$', which twin keys may not contain"),
                Arguments.of("$version", "key contains '$', which twin keys may not contain"),
                Arguments.of("$metadata", "key contains '$', which twin keys may not contain"),
                Arguments.of("b c", "key contains ' ', which twin keys may not contain"),
                Arguments.of("b\u0001", "key contains the control character U+0001, which twin keys may not contain"),
                Arguments.of("b\u007f", "key contains the control character U+007F, which twin keys may not contain"),
                Arguments.of("b\u0085", "key contains the control character U+0085, which twin keys may not contain"),
                Arguments.of("", "key is empty; twin keys need at least one character"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("forbiddenKeys")
    void a_forbidden_key_below_the_root_is_refused_with_its_path(String key, String problem) {
        for (TwinSection section : TwinSection.values()) {
            JsonObject inner = new JsonObject();
            inner.addProperty(key, 1);
            JsonObject body = new JsonObject();
            body.add("a", inner);

            TwinRuleViolation violation = TwinLimitsTest.refused(NEW_TWIN, section, body);

            assertThat(violation.getMessage()).isEqualTo(section.path() + ".a." + key + ": " + problem);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"$foo", "$lastUpdated", "a.b", "with space", ""})
    void a_forbidden_key_at_the_root_is_refused_too(String key) {
        JsonObject body = new JsonObject();
        body.addProperty(key, 1);

        TwinRuleViolation violation = TwinLimitsTest.refused(NEW_TWIN, TwinSection.DESIRED, body);

        assertThat(violation.path()).isEqualTo("properties.desired." + key);
    }

    @Test
    void keys_inside_objects_in_arrays_follow_the_same_rules() {
        TwinRuleViolation violation = TwinLimitsTest.refused(NEW_TWIN, TwinSection.REPORTED, obj("{'list':[{'x.y':1}]}"));

        assertThat(violation.path()).isEqualTo("properties.reported.list[0].x.y");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ünïcödé", "dash-and_underscore", "#hash", "colon:semi;", "emoji\uD83D\uDE00", "UPPER", "123"})
    void other_keys_are_accepted(String key) {
        JsonObject body = new JsonObject();
        body.addProperty(key, 1);

        assertThatCode(() -> NEW_TWIN.patchFromService(body, body, T0)).doesNotThrowAnyException();
    }

    @Test
    void keys_are_case_sensitive() {
        TwinDocument twin = NEW_TWIN.patchFromService(null, obj("{'mode':1,'Mode':2}"), T0).after();

        assertThat(twin.desired(false).get("mode").getAsInt()).isEqualTo(1);
        assertThat(twin.desired(false).get("Mode").getAsInt()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"'text'", "5", "true", "[1]"})
    void a_section_that_is_not_an_object_is_refused(String value) {
        for (TwinSection section : TwinSection.values()) {
            TwinRuleViolation violation = catchThrowableOfType(TwinRuleViolation.class,
                    () -> section.objectOrNull(JsonParser.parseString(value.replace('\'', '"'))));

            assertThat(violation.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID);
            assertThat(violation.getMessage()).startsWith(section.path() + ": must be a JSON object, but is ");
        }
    }

    @Test
    void an_absent_or_null_section_is_no_section() {
        assertThat(TwinSection.DESIRED.objectOrNull(null)).isNull();
        assertThat(TwinSection.DESIRED.objectOrNull(JsonParser.parseString("null"))).isNull();
        assertThat(TwinSection.DESIRED.objectOrNull(obj("{'a':1}"))).isEqualTo(obj("{'a':1}"));
    }

    @Test
    void the_message_names_the_kind_that_was_sent() {
        TwinRuleViolation violation = catchThrowableOfType(TwinRuleViolation.class,
                () -> TwinSection.TAGS.objectOrNull(new JsonPrimitive("EU")));

        assertThat(violation.getMessage()).isEqualTo("tags: must be a JSON object, but is a string");
    }
}
