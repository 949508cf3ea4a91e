package lab.devicetwins.localhub.twin;

import static lab.devicetwins.localhub.twin.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TwinMetadataTest {
    private static final Instant T0 = Instant.parse("2026-11-27T14:00:00.1000000Z");
    private static final Instant T1 = Instant.parse("2026-11-27T14:00:01.2000000Z");
    private static final Instant T2 = Instant.parse("2026-11-27T14:00:02.3000000Z");
    private static final Instant T3 = Instant.parse("2026-11-27T14:00:03.4000000Z");

    @Test
    void a_new_twin_has_only_a_root_timestamp_in_each_section() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults());

        JsonObject rootOnly = stamp(T0, null);
        assertThat(twin.desired(true).get("$metadata")).isEqualTo(rootOnly);
        assertThat(twin.reported(true).get("$metadata")).isEqualTo(rootOnly);
    }

    @Test
    void a_desired_write_adds_one_node_per_object_and_per_leaf_at_every_level() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults())
                .patchFromService(null, obj("{'a':{'b':1,'c':{'d':'x'}},'e':[1,{'f':2}]}"), T1).after();

        JsonObject expected = stamp(T1, 2L);
        JsonObject a = stamp(T1, 2L);
        a.add("b", stamp(T1, 2L));
        JsonObject c = stamp(T1, 2L);
        c.add("d", stamp(T1, 2L));
        a.add("c", c);
        expected.add("a", a);
        expected.add("e", stamp(T1, 2L)); // arrays are leaves: no nodes for their elements
        assertThat(twin.desired(true).get("$metadata")).isEqualTo(expected);
    }

    @Test
    void a_change_deep_down_refreshes_its_parents_up_to_the_root_and_leaves_siblings_alone() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults())
                .patchFromService(null, obj("{'a':{'b':1,'c':{'d':'x'}},'e':true}"), T1).after()
                .patchFromService(null, obj("{'a':{'c':{'d':'y'}}}"), T2).after();

        JsonObject metadata = twin.desired(true).getAsJsonObject("$metadata");
        assertStamp(metadata, T2, 3L);
        assertStamp(node(metadata, "a"), T2, 3L);
        assertStamp(node(metadata, "a", "c"), T2, 3L);
        assertStamp(node(metadata, "a", "c", "d"), T2, 3L);
        assertStamp(node(metadata, "a", "b"), T1, 2L);
        assertStamp(node(metadata, "e"), T1, 2L);
    }

    @Test
    void removing_a_member_removes_its_node_and_refreshes_its_parents() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults())
                .patchFromService(null, obj("{'a':{'b':{'x':1},'c':2},'e':true}"), T1).after()
                .patchFromService(null, obj("{'a':{'b':null}}"), T2).after();

        JsonObject metadata = twin.desired(true).getAsJsonObject("$metadata");
        assertThat(node(metadata, "a").has("b")).isFalse();
        assertStamp(node(metadata, "a"), T2, 3L);
        assertStamp(metadata, T2, 3L);
        assertStamp(node(metadata, "a", "c"), T1, 2L);
        assertStamp(node(metadata, "e"), T1, 2L);
    }

    @Test
    void removing_a_top_level_member_removes_its_whole_subtree_of_nodes() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults())
                .patchFromService(null, obj("{'a':{'b':{'x':1}},'e':true}"), T1).after()
                .patchFromService(null, obj("{'a':null}"), T2).after();

        JsonObject expected = stamp(T2, 3L);
        expected.add("e", stamp(T1, 2L));
        assertThat(twin.desired(true).get("$metadata")).isEqualTo(expected);
    }

    @Test
    void overwriting_an_object_with_a_leaf_replaces_its_subtree_of_nodes() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults())
                .patchFromService(null, obj("{'a':{'b':1}}"), T1).after()
                .patchFromService(null, obj("{'a':5}"), T2).after();

        assertThat(node(twin.desired(true).getAsJsonObject("$metadata"), "a")).isEqualTo(stamp(T2, 3L));
    }

    @Test
    void a_replace_stamps_every_node_anew() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults())
                .patchFromService(null, obj("{'a':{'b':1},'e':true}"), T1).after()
                .replaceFromService(null, obj("{'a':{'b':1}}"), T2).after();

        JsonObject expected = stamp(T2, 3L);
        JsonObject a = stamp(T2, 3L);
        a.add("b", stamp(T2, 3L));
        expected.add("a", a);
        assertThat(twin.desired(true).get("$metadata")).isEqualTo(expected);
    }

    @Test
    void reported_nodes_carry_a_timestamp_but_no_version() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults())
                .patchReported(obj("{'a':{'b':1},'e':true}"), null, T1).after()
                .patchReported(obj("{'a':{'c':2}}"), null, T2).after();

        JsonObject expected = stamp(T2, null);
        JsonObject a = stamp(T2, null);
        a.add("b", stamp(T1, null));
        a.add("c", stamp(T2, null));
        expected.add("a", a);
        expected.add("e", stamp(T1, null));
        assertThat(twin.reported(true).get("$metadata")).isEqualTo(expected);
    }

    @Test
    void a_tags_only_patch_leaves_desired_metadata_alone() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults()).patchFromService(null, obj("{'a':1}"), T1).after();

        TwinDocument tagged = twin.patchFromService(obj("{'t':1}"), null, T3).after();

        assertThat(tagged.desired(true)).isEqualTo(twin.desired(true));
        assertThat(tagged.tags().has("$metadata")).isFalse();
    }

    @Test
    void metadata_is_shown_only_when_asked_and_never_to_the_device() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults()).patchFromService(null, obj("{'a':1}"), T1).after();

        assertThat(twin.desired(false).has("$metadata")).isFalse();
        assertThat(twin.devicePropertiesJson().getAsJsonObject("desired").has("$metadata")).isFalse();
        assertThat(twin.devicePropertiesJson().getAsJsonObject("reported").has("$metadata")).isFalse();
        assertThat(twin.servicePropertiesJson().getAsJsonObject("desired").has("$metadata")).isTrue();
        assertThat(twin.servicePropertiesJson().getAsJsonObject("reported").has("$metadata")).isTrue();
        assertThat(twin.devicePropertiesJson().has("tags")).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2026-11-27T14:05:01.123456789Z, 2026-11-27T14:05:01.1234567Z",
            "2026-11-27T14:05:01Z, 2026-11-27T14:05:01.0000000Z",
            "2026-01-02T03:04:05.5Z, 2026-01-02T03:04:05.5000000Z",
            "1999-12-31T23:59:59.0000001Z, 1999-12-31T23:59:59.0000001Z"})
    void timestamps_are_utc_with_exactly_seven_fraction_digits(String instant, String expected) {
        TwinDocument twin = TwinDocument.createNew(Instant.parse(instant), TwinLimits.defaults());

        assertThat(twin.desired(true).getAsJsonObject("$metadata").get("$lastUpdated").getAsString()).isEqualTo(expected);
    }

    private static JsonObject stamp(Instant at, Long version) {
        JsonObject node = new JsonObject();
        node.addProperty("$lastUpdated", HubTimestamp.format(at));
        if (version != null) {
            node.addProperty("$lastUpdatedVersion", version);
        }
        return node;
    }

    private static JsonObject node(JsonObject metadata, String... path) {
        JsonObject node = metadata;
        for (String key : path) {
            node = node.getAsJsonObject(key);
        }
        return node;
    }

    private static void assertStamp(JsonObject node, Instant at, long version) {
        JsonObject stampOnly = new JsonObject();
        for (Map.Entry<String, JsonElement> member : node.entrySet()) {
            if (member.getKey().startsWith("$")) {
                stampOnly.add(member.getKey(), member.getValue());
            }
        }
        assertThat(stampOnly).isEqualTo(stamp(at, version));
    }
}
