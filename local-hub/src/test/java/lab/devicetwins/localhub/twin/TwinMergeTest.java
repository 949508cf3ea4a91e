package lab.devicetwins.localhub.twin;

import static lab.devicetwins.localhub.twin.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TwinMergeTest {
    private static final Instant T0 = Instant.parse("2026-11-27T14:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-27T14:00:01Z");

    static Stream<Arguments> patches() {
        return Stream.of(
                Arguments.of("adds a member", "{'a':1}", "{'b':2}", "{'a':1,'b':2}"),
                Arguments.of("overwrites a leaf", "{'a':1}", "{'a':'x'}", "{'a':'x'}"),
                Arguments.of("null removes a member", "{'a':1,'b':2}", "{'a':null}", "{'b':2}"),
                Arguments.of("null on an absent member is fine", "{'a':1}", "{'zz':null}", "{'a':1}"),
                Arguments.of("object onto object merges", "{'a':{'x':1,'y':2}}", "{'a':{'y':3,'z':4}}",
                        "{'a':{'x':1,'y':3,'z':4}}"),
                Arguments.of("null deep inside removes only that member", "{'a':{'x':1,'y':{'p':1,'q':2}}}",
                        "{'a':{'y':{'q':null}}}", "{'a':{'x':1,'y':{'p':1}}}"),
                Arguments.of("object onto leaf overwrites", "{'a':1}", "{'a':{'x':1}}", "{'a':{'x':1}}"),
                Arguments.of("leaf onto object overwrites", "{'a':{'x':1}}", "{'a':true}", "{'a':true}"),
                Arguments.of("array overwrites, never merges", "{'a':[1,2,3]}", "{'a':[4]}", "{'a':[4]}"),
                Arguments.of("object onto array overwrites", "{'a':[1]}", "{'a':{'x':1}}", "{'a':{'x':1}}"),
                Arguments.of("nulls in a value landing on nothing are dropped", "{}", "{'a':{'x':null,'y':{'z':null,'w':1}}}",
                        "{'a':{'y':{'w':1}}}"),
                Arguments.of("nulls in a value landing on a leaf are dropped", "{'a':5}", "{'a':{'x':null}}", "{'a':{}}"),
                Arguments.of("an empty object onto an object keeps it", "{'a':{'x':1}}", "{'a':{}}", "{'a':{'x':1}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patches")
    void a_desired_patch_merges_deeply_with_null_deleting(String rule, String before, String patch, String after) {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults()).replaceFromService(null, obj(before), T0).after();

        TwinDocument patched = twin.patchFromService(null, obj(patch), T1).after();

        assertThat(withoutVersion(patched.desired(false))).isEqualTo(obj(after));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patches")
    void tags_follow_the_same_merge_rules(String rule, String before, String patch, String after) {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults()).replaceFromService(obj(before), null, T0).after();

        TwinDocument patched = twin.patchFromService(obj(patch), null, T1).after();

        assertThat(patched.tags()).isEqualTo(obj(after));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patches")
    void reported_properties_follow_the_same_merge_rules(String rule, String before, String patch, String after) {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults());
        if (!obj(before).isEmpty()) {
            twin = twin.patchReported(obj(before), null, T0).after();
        }

        TwinDocument patched = twin.patchReported(obj(patch), null, T1).after();

        assertThat(withoutVersion(patched.reported(false))).isEqualTo(obj(after));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patches")
    void a_patch_leaves_the_twin_it_was_applied_to_as_it_was(String rule, String before, String patch, String after) {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults())
                .replaceFromService(obj(before), obj(before), T0).after();
        if (!obj(before).isEmpty()) {
            twin = twin.patchReported(obj(before), null, T0).after();
        }
        String untouched = twin.toStoredJsonText();

        twin.patchFromService(obj(patch), obj(patch), T1).after().patchReported(obj(patch), null, T1).after();

        assertThat(twin.toStoredJsonText()).isEqualTo(untouched);
    }

    @Test
    void a_replace_makes_tags_and_desired_exactly_what_was_sent_with_nulls_dropped() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults())
                .patchFromService(obj("{'old':1,'keep':{'x':1}}"), obj("{'old':1,'keep':{'x':1}}"), T0).after();

        TwinDocument replaced = twin.replaceFromService(obj("{'keep':{'y':2},'gone':null}"), obj("{'keep':{'y':2},'n':null}"), T1)
                .after();

        assertThat(replaced.tags()).isEqualTo(obj("{'keep':{'y':2}}"));
        assertThat(withoutVersion(replaced.desired(false))).isEqualTo(obj("{'keep':{'y':2}}"));
    }

    @Test
    void a_replace_with_null_sections_clears_tags_and_desired() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults()).patchFromService(obj("{'t':1}"), obj("{'d':1}"), T0).after();

        TwinDocument replaced = twin.replaceFromService(null, null, T1).after();

        assertThat(replaced.tags()).isEqualTo(new JsonObject());
        assertThat(withoutVersion(replaced.desired(false))).isEqualTo(new JsonObject());
    }

    @Test
    void service_writes_never_touch_reported_properties() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults()).patchReported(obj("{'r':1}"), null, T0).after();
        JsonObject reportedBefore = twin.reported(true);

        TwinDocument afterPatch = twin.patchFromService(obj("{'t':1}"), obj("{'r':2}"), T1).after();
        TwinDocument afterReplace = afterPatch.replaceFromService(obj("{}"), obj("{'r':3}"), T1).after();

        assertThat(afterPatch.reported(true)).isEqualTo(reportedBefore);
        assertThat(afterReplace.reported(true)).isEqualTo(reportedBefore);
    }

    @Test
    void device_writes_never_touch_tags_or_desired_properties() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults()).patchFromService(obj("{'t':1}"), obj("{'d':1}"), T0).after();

        TwinDocument reported = twin.patchReported(obj("{'t':2,'d':2}"), null, T1).after();

        assertThat(reported.tags()).isEqualTo(twin.tags());
        assertThat(reported.desired(true)).isEqualTo(twin.desired(true));
    }

    @Test
    void read_only_version_and_metadata_at_a_section_root_are_ignored() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults());

        TwinDocument patched = twin.patchFromService(null,
                obj("{'a':1,'$version':42,'$metadata':{'$lastUpdated':'2000-01-01T00:00:00Z'}}"), T1).after();

        assertThat(patched.desiredVersion()).isEqualTo(2);
        assertThat(withoutVersion(patched.desired(false))).isEqualTo(obj("{'a':1}"));
        assertThat(patched.desired(true).getAsJsonObject("$metadata").get("$lastUpdated").getAsString())
                .isEqualTo(HubTimestamp.format(T1));
    }

    @Test
    void the_document_keeps_no_reference_to_what_callers_pass_or_receive() {
        JsonObject patch = obj("{'a':{'x':1}}");
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults()).patchFromService(patch, patch, T1).after();
        JsonObject before = twin.toStoredJson();

        patch.getAsJsonObject("a").addProperty("x", 99);
        twin.tags().addProperty("sneaky", 1);
        twin.desired(true).getAsJsonObject("$metadata").addProperty("sneaky", 1);
        twin.servicePropertiesJson().getAsJsonObject("reported").addProperty("sneaky", 1);

        assertThat(twin.toStoredJson()).isEqualTo(before);
    }

    @Test
    void an_earlier_document_is_not_changed_by_a_later_write() {
        TwinDocument first = TwinDocument.createNew(T0, TwinLimits.defaults()).patchFromService(obj("{'a':{'x':1}}"), obj("{'a':{'x':1}}"), T0).after();
        JsonObject firstStored = first.toStoredJson();

        first.patchFromService(obj("{'a':{'x':null}}"), obj("{'a':{'y':2}}"), T1);
        first.replaceFromService(null, null, T1);
        first.patchReported(obj("{'r':{'s':1}}"), null, T1);

        assertThat(first.toStoredJson()).isEqualTo(firstStored);
    }

    private static JsonObject withoutVersion(JsonObject section) {
        section.remove("$version");
        return section;
    }
}
