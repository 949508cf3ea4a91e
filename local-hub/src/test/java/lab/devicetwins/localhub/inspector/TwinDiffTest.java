package lab.devicetwins.localhub.inspector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.List;
import lab.devicetwins.localhub.twin.TwinDocument;
import lab.devicetwins.localhub.twin.TwinLimits;
import org.junit.jupiter.api.Test;

class TwinDiffTest {
    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    @Test
    void added_removed_and_changed_values_are_named_by_their_dotted_path() {
        List<PropertyChange> changes = TwinDiff.between("tags",
                json("{\"location\":{\"region\":\"US\",\"plant\":\"Redmond43\"},\"old\":1}"),
                json("{\"location\":{\"region\":\"EU\",\"plant\":\"Redmond43\",\"floor\":3}}"));

        assertThat(changes).extracting(PropertyChange::path, PropertyChange::op).containsExactly(
                tuple("location.region", PropertyChange.Op.CHANGED),
                tuple("location.floor", PropertyChange.Op.ADDED),
                tuple("old", PropertyChange.Op.REMOVED));
        assertThat(changes.get(0).before().getAsString()).isEqualTo("US");
        assertThat(changes.get(0).after().getAsString()).isEqualTo("EU");
    }

    @Test
    void an_array_is_one_value_and_an_object_replacing_a_value_is_a_change() {
        List<PropertyChange> changes = TwinDiff.between("desired", json("{\"a\":[1,2],\"b\":5}"),
                json("{\"a\":[1,3],\"b\":{\"c\":1}}"));

        assertThat(changes).extracting(PropertyChange::path).containsExactly("a", "b");
        assertThat(changes).extracting(PropertyChange::op).containsOnly(PropertyChange.Op.CHANGED);
    }

    @Test
    void equal_sections_have_no_changes() {
        assertThat(TwinDiff.between("tags", json("{\"a\":{\"b\":1}}"), json("{\"a\":{\"b\":1}}"))).isEmpty();
    }

    @Test
    void a_reported_patch_shows_only_its_values_not_versions_or_metadata() {
        TwinDocument before = TwinDocument.createNew(Instant.parse("2026-01-01T00:00:00Z"), TwinLimits.defaults());
        TwinDocument after = before.patchReported(json("{\"connectivityType\":\"cellular\"}"), null,
                Instant.parse("2026-01-01T00:00:01Z")).after();

        List<PropertyChange> changes = TwinDiff.between(before, after);

        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.section()).isEqualTo("reported");
            assertThat(c.path()).isEqualTo("connectivityType");
            assertThat(c.op()).isEqualTo(PropertyChange.Op.ADDED);
        });
    }

    @Test
    void a_service_write_shows_tags_and_desired_changes_in_section_order() {
        TwinDocument before = TwinDocument.createNew(Instant.parse("2026-01-01T00:00:00Z"), TwinLimits.defaults());
        TwinDocument after = before.patchFromService(json("{\"plant\":\"Redmond43\"}"), json("{\"fanOn\":true}"),
                Instant.parse("2026-01-01T00:00:01Z")).after();

        assertThat(TwinDiff.between(before, after)).extracting(PropertyChange::section, PropertyChange::path)
                .containsExactly(tuple("tags", "plant"),
                        tuple("desired", "fanOn"));
    }
}
