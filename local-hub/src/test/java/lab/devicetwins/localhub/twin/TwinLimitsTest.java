package lab.devicetwins.localhub.twin;

import static lab.devicetwins.localhub.twin.Json.obj;
import static lab.devicetwins.localhub.twin.Json.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import lab.devicetwins.localhub.errors.HubErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every limit of contract section 4.4, just under (accepted) and just over (refused, nothing applied). */
class TwinLimitsTest {
    private static final Instant T0 = Instant.parse("2026-11-27T14:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-27T14:00:01Z");
    private static final TwinDocument NEW_TWIN = TwinDocument.createNew(T0, TwinLimits.defaults());

    /** Writes one section's body through the operation that owns it. */
    static TwinChange write(TwinDocument twin, TwinSection section, JsonObject body) {
        return switch (section) {
            case TAGS -> twin.patchFromService(body, null, T1);
            case DESIRED -> twin.patchFromService(null, body, T1);
            case REPORTED -> twin.patchReported(body, null, T1);
        };
    }

    static TwinRuleViolation refused(TwinDocument twin, TwinSection section, JsonObject body) {
        TwinRuleViolation violation = catchThrowableOfType(TwinRuleViolation.class, () -> write(twin, section, body));
        assertThat(violation).as("expected a rule violation").isNotNull();
        assertThat(violation.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID);
        return violation;
    }

    /** Properties "p0", "p1", … each exactly 4096 bytes (2-byte key + 4094-byte string), to fill a section. */
    static JsonObject fullProperties(int count) {
        JsonObject body = new JsonObject();
        for (int i = 0; i < count; i++) {
            body.addProperty("p" + i, repeat('x', 4094));
        }
        return body;
    }

    static Stream<Arguments> sectionLimits() {
        return Stream.of(Arguments.of(TwinSection.TAGS, 2), Arguments.of(TwinSection.DESIRED, 8),
                Arguments.of(TwinSection.REPORTED, 8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sectionLimits")
    void a_section_may_be_filled_exactly_to_its_limit(TwinSection section, int fullProperties) {
        JsonObject body = fullProperties(fullProperties);

        TwinDocument after = write(NEW_TWIN, section, body).after();

        assertThat(TwinSize.ofProperties(body.entrySet())).isEqualTo(section.maxBytes(TwinLimits.defaults()));
        assertThat(after.version()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sectionLimits")
    void one_byte_over_a_section_limit_is_refused(TwinSection section, int fullProperties) {
        JsonObject body = fullProperties(fullProperties);
        body.addProperty("z", "");

        TwinRuleViolation violation = refused(NEW_TWIN, section, body);

        int limit = section.maxBytes(TwinLimits.defaults());
        assertThat(violation.path()).isEqualTo(section.path());
        assertThat(violation.getMessage()).startsWith(section.path() + ": ").contains(String.valueOf(limit + 1))
                .contains(String.valueOf(limit));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sectionLimits")
    void the_section_limit_applies_to_the_section_as_the_write_leaves_it(TwinSection section, int fullProperties) {
        TwinDocument full = write(NEW_TWIN, section, fullProperties(fullProperties)).after();
        JsonObject oneMoreByte = obj("{'z':''}");
        JsonObject swap = obj("{'p0':null,'z':''}");

        refused(full, section, oneMoreByte);
        assertThatCode(() -> write(full, section, swap)).doesNotThrowAnyException();
    }

    @Test
    void a_replace_is_measured_on_the_new_sections() {
        TwinDocument fullTags = NEW_TWIN.patchFromService(fullProperties(2), fullProperties(8), T0).after();

        TwinChange replaced = fullTags.replaceFromService(fullProperties(2), fullProperties(8), T1);
        TwinRuleViolation violation = catchThrowableOfType(TwinRuleViolation.class,
                () -> fullTags.replaceFromService(obj("{'z':''}"), fullPlus(fullProperties(8)), T1));

        assertThat(replaced.changed()).isTrue();
        assertThat(violation.path()).isEqualTo("properties.desired");
    }

    private static JsonObject fullPlus(JsonObject body) {
        body.addProperty("z", "");
        return body;
    }

    @ParameterizedTest
    @EnumSource(TwinSection.class)
    void a_single_property_may_be_4096_bytes_but_not_more(TwinSection section) {
        // key "ab" (2) + nested key "c" (1) + string
        JsonObject atLimit = obj("{'ab':{'c':'" + repeat('x', 4093) + "'}}");
        JsonObject over = obj("{'ab':{'c':'" + repeat('x', 4094) + "'}}");

        assertThatCode(() -> write(NEW_TWIN, section, atLimit)).doesNotThrowAnyException();
        TwinRuleViolation violation = refused(NEW_TWIN, section, over);

        assertThat(violation.getMessage()).isEqualTo(section.path()
                + ".ab: property would be 4097 bytes (key plus value), over the 4096-byte limit for a single property");
    }

    @Test
    void the_property_limit_counts_the_property_after_the_merge() {
        TwinDocument twin = NEW_TWIN.patchFromService(null, obj("{'ab':{'c':'" + repeat('x', 2000) + "'}}"), T0).after();

        TwinRuleViolation violation = refused(twin, TwinSection.DESIRED, obj("{'ab':{'d':'" + repeat('x', 2093) + "'}}"));

        assertThat(violation.path()).isEqualTo("properties.desired.ab");
    }

    static JsonObject nested(int levels, String leafKey) {
        JsonObject root = new JsonObject();
        JsonObject current = root;
        for (int level = 1; level <= levels; level++) {
            JsonObject child = new JsonObject();
            current.add("l" + level, child);
            current = child;
        }
        current.addProperty(leafKey, "value");
        return root;
    }

    @ParameterizedTest
    @EnumSource(TwinSection.class)
    void ten_levels_of_objects_are_accepted_and_eleven_are_not(TwinSection section) {
        assertThatCode(() -> write(NEW_TWIN, section, nested(10, "property"))).doesNotThrowAnyException();

        TwinRuleViolation violation = refused(NEW_TWIN, section, nested(11, "property"));

        assertThat(violation.path()).isEqualTo(section.path() + ".l1.l2.l3.l4.l5.l6.l7.l8.l9.l10.l11");
        assertThat(violation.getMessage()).contains("11 levels").contains("at most 10");
    }

    @Test
    void arrays_count_as_levels_too() {
        JsonObject atLimit = nested(9, "list");
        leaf(atLimit, 9).add("list", array(1, 2));
        JsonObject over = nested(9, "list");
        JsonArray outer = new JsonArray();
        outer.add(array(1));
        leaf(over, 9).add("list", outer);

        assertThatCode(() -> write(NEW_TWIN, TwinSection.DESIRED, atLimit)).doesNotThrowAnyException();
        TwinRuleViolation violation = refused(NEW_TWIN, TwinSection.DESIRED, over);

        assertThat(violation.path()).endsWith(".l9.list[0]");
    }

    private static JsonObject leaf(JsonObject root, int levels) {
        JsonObject current = root;
        for (int level = 1; level <= levels; level++) {
            current = current.getAsJsonObject("l" + level);
        }
        return current;
    }

    private static JsonArray array(int... values) {
        JsonArray array = new JsonArray();
        for (int value : values) {
            array.add(value);
        }
        return array;
    }

    @ParameterizedTest
    @EnumSource(TwinSection.class)
    void a_key_may_be_1024_bytes_but_not_more(TwinSection section) {
        assertThatCode(() -> write(NEW_TWIN, section, obj("{'" + repeat('k', 1024) + "':1}"))).doesNotThrowAnyException();

        TwinRuleViolation violation = refused(NEW_TWIN, section, obj("{'a':{'" + repeat('k', 1025) + "':1}}"));

        assertThat(violation.getMessage()).contains("key is 1025 bytes").contains("1024-byte limit");
    }

    @Test
    void key_length_counts_utf8_bytes() {
        String twoByteChars = repeat('é', 512);

        assertThatCode(() -> write(NEW_TWIN, TwinSection.DESIRED, obj("{'" + twoByteChars + "':1}"))).doesNotThrowAnyException();
        refused(NEW_TWIN, TwinSection.DESIRED, obj("{'" + twoByteChars + "k':1}"));
    }

    /** Strings are isolated from the property limit, which a 4 KB string plus its key would always break. */
    private static final TwinDocument ROOMY = TwinDocument.createNew(T0, TwinLimits.defaults().withPropertyMaxBytes(10_000));

    @Test
    void a_string_may_be_4096_bytes_but_not_more() {
        assertThatCode(() -> write(ROOMY, TwinSection.REPORTED, obj("{'s':'" + repeat('x', 4096) + "'}")))
                .doesNotThrowAnyException();

        TwinRuleViolation violation = refused(ROOMY, TwinSection.REPORTED, obj("{'s':['" + repeat('x', 4097) + "']}"));

        assertThat(violation.getMessage()).isEqualTo(
                "properties.reported.s[0]: string is 4097 bytes in UTF-8, over the 4096-byte limit for twin strings");
    }

    @Test
    void control_characters_do_not_count_towards_a_string() {
        JsonObject body = new JsonObject();
        body.addProperty("s", repeat('x', 4096) + "\n\t\u0085");

        assertThatCode(() -> write(ROOMY, TwinSection.DESIRED, body)).doesNotThrowAnyException();
    }

    @Test
    void with_default_limits_a_4096_byte_string_breaks_the_property_limit_first() {
        TwinRuleViolation violation = refused(NEW_TWIN, TwinSection.DESIRED, obj("{'s':'" + repeat('x', 4096) + "'}"));

        assertThat(violation.getMessage()).contains("single property");
    }

    static Stream<Arguments> numbers() {
        return Stream.of(
                Arguments.of("4503599627370495", true),
                Arguments.of("-4503599627370496", true),
                Arguments.of("4503599627370496", false),
                Arguments.of("-4503599627370497", false),
                Arguments.of("123456789012345678901234567890", false),
                Arguments.of("0", true),
                Arguments.of("-0", true),
                Arguments.of("4503599627370496.5", true),
                Arguments.of("1e300", true),
                Arguments.of("-1.5E+20", true),
                Arguments.of("3.14", true));
    }

    @ParameterizedTest(name = "{0} accepted: {1}")
    @MethodSource("numbers")
    void only_integers_outside_the_safe_range_are_refused(String literal, boolean accepted) {
        JsonObject body = obj("{'n':" + literal + ",'list':[" + literal + "]}");

        if (accepted) {
            assertThatCode(() -> write(NEW_TWIN, TwinSection.DESIRED, body)).doesNotThrowAnyException();
        } else {
            TwinRuleViolation violation = refused(NEW_TWIN, TwinSection.DESIRED, body);
            assertThat(violation.getMessage()).isEqualTo("properties.desired.n: integer " + literal
                    + " is outside the range -4503599627370496..4503599627370495 that twins accept");
        }
    }

    @Test
    void integers_built_in_code_are_checked_like_parsed_ones() {
        JsonObject body = new JsonObject();
        body.addProperty("n", TwinLimits.MAX_INTEGER + 1);
        JsonObject fine = new JsonObject();
        fine.addProperty("n", new BigDecimal("4503599627370496.0"));

        refused(NEW_TWIN, TwinSection.TAGS, body);
        assertThatCode(() -> write(NEW_TWIN, TwinSection.TAGS, fine)).doesNotThrowAnyException();
    }

    @Test
    void numbers_that_json_cannot_spell_are_refused() {
        JsonObject body = new JsonObject();
        body.addProperty("n", Double.NaN);

        TwinRuleViolation violation = refused(NEW_TWIN, TwinSection.DESIRED, body);

        assertThat(violation.getMessage()).contains("NaN");
    }

    static Stream<Arguments> nullsInArrays() {
        return Stream.of(
                Arguments.of("{'a':[1,null]}", "properties.desired.a[1]"),
                Arguments.of("{'a':[[null]]}", "properties.desired.a[0][0]"),
                Arguments.of("{'a':[{'x':null}]}", "properties.desired.a[0].x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullsInArrays")
    void arrays_may_not_contain_null(String body, String path) {
        TwinRuleViolation violation = refused(NEW_TWIN, TwinSection.DESIRED, obj(body));

        assertThat(violation.getMessage()).isEqualTo(path + ": arrays in a twin may not contain null");
    }

    @Test
    void a_limit_breach_leaves_the_other_section_of_the_same_patch_unapplied() {
        TwinDocument twin = NEW_TWIN.patchFromService(obj("{'t':1}"), obj("{'d':1}"), T0).after();
        JsonObject before = twin.toStoredJson();

        catchThrowableOfType(TwinRuleViolation.class,
                () -> twin.patchFromService(obj("{'t':2}"), obj("{'d':2,'bad.key':1}"), T1));
        catchThrowableOfType(TwinRuleViolation.class,
                () -> twin.patchFromService(obj("{'t':2,'big':'" + repeat('x', 5000) + "'}"), obj("{'d':2}"), T1));

        assertThat(twin.toStoredJson()).isEqualTo(before);
    }

    @Test
    void custom_limits_are_enforced_and_survive_later_writes() {
        TwinLimits small = TwinLimits.defaults().withTagsMaxBytes(10).withDesiredMaxBytes(10).withReportedMaxBytes(10);
        TwinDocument twin = TwinDocument.createNew(T0, small);
        TwinDocument later = twin.patchFromService(null, obj("{'a':true}"), T1).after();

        BiFunction<TwinDocument, TwinSection, TwinRuleViolation> overTen =
                (document, section) -> refused(document, section, obj("{'b':'0123456789'}"));

        assertThat(overTen.apply(twin, TwinSection.TAGS).path()).isEqualTo("tags");
        assertThat(overTen.apply(later, TwinSection.DESIRED).path()).isEqualTo("properties.desired");
        assertThat(overTen.apply(later, TwinSection.REPORTED).path()).isEqualTo("properties.reported");
        assertThat(later.limits()).isEqualTo(small);
    }

    @Test
    void lowered_limits_still_allow_writes_that_shrink_an_oversized_section() {
        TwinDocument big = NEW_TWIN.patchFromService(null, obj("{'a':'0123456789','b':'0123456789'}"), T0).after()
                .withLimits(TwinLimits.defaults().withDesiredMaxBytes(10));

        assertThatCode(() -> big.patchFromService(null, obj("{'a':null}"), T1)).doesNotThrowAnyException();
        refused(big, TwinSection.DESIRED, obj("{'c':1}"));
    }

    @Test
    void limits_reject_values_that_are_not_positive() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> TwinLimits.defaults().withMaxDepth(0))).hasMessageContaining("maxDepth");
    }
}
