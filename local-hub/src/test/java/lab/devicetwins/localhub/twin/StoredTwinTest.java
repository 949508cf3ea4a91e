package lab.devicetwins.localhub.twin;

import static lab.devicetwins.localhub.twin.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoredTwinTest {
    private static final Instant T0 = Instant.parse("2026-11-27T14:00:00.1234567Z");
    private static final Instant T1 = Instant.parse("2026-11-27T14:00:01Z");

    private static TwinDocument busyTwin() {
        return TwinDocument.createNew(T0, TwinLimits.defaults())
                .patchFromService(obj("{'loc':{'region':'EU'}}"), obj("{'fan':{'speed':3,'modes':['a','b']}}"), T0).after()
                .patchReported(obj("{'fan':{'speed':2},'online':true}"), 1L, T1).after()
                .patchFromService(null, obj("{'fan':{'speed':null},'n':1.25}"), T1).after();
    }

    @Test
    void the_stored_json_has_the_twin_shape_with_metadata_and_versions() {
        TwinDocument twin = busyTwin();

        JsonObject stored = twin.toStoredJson();

        assertThat(stored.keySet()).containsExactly("version", "etag", "tags", "properties");
        assertThat(stored.get("version").getAsLong()).isEqualTo(twin.version());
        assertThat(stored.get("etag").getAsString()).isEqualTo(twin.etag());
        assertThat(stored.get("tags")).isEqualTo(twin.tags());
        assertThat(stored.getAsJsonObject("properties").keySet()).containsExactly("desired", "reported");
        assertThat(stored.getAsJsonObject("properties").get("desired")).isEqualTo(twin.desired(true));
        assertThat(stored.getAsJsonObject("properties").get("reported")).isEqualTo(twin.reported(true));
        assertThat(stored.getAsJsonObject("properties")).isEqualTo(twin.servicePropertiesJson());
    }

    @Test
    void the_stored_text_is_the_stored_json_written_out() {
        TwinDocument twin = busyTwin()
                .patchFromService(obj("{'html':'<a href=\\'x\\'>&amp;</a>','esc':'tab\\there \\u00e9 \\ud83d\\ude00'}"),
                        obj("{'numbers':{'a':1.50,'b':1E2,'c':-0,'d':4503599627370495},'empty':{},'list':[1,'x',true]}"),
                        T1).after()
                .patchReported(obj("{'deep':{'er':{'est':'\\\\'}}}"), null, T1).after();

        assertThat(twin.toStoredJsonText()).isEqualTo(twin.toStoredJson().toString());
        assertThat(TwinDocument.fromStoredJson(obj(twin.toStoredJsonText()))).isEqualTo(twin);
    }

    @Test
    void a_stored_twin_reads_back_to_an_equal_document() {
        TwinDocument twin = busyTwin();

        TwinDocument read = TwinDocument.fromStoredJson(twin.toStoredJson());

        assertThat(read).isEqualTo(twin).hasSameHashCodeAs(twin);
        assertThat(read.toStoredJson()).isEqualTo(twin.toStoredJson());
        assertThat(read.desiredVersion()).isEqualTo(twin.desiredVersion());
        assertThat(read.reportedVersion()).isEqualTo(twin.reportedVersion());
    }

    @Test
    void a_stored_twin_survives_a_trip_through_text() {
        TwinDocument twin = busyTwin();

        TwinDocument read = TwinDocument.fromStoredJson(obj(twin.toStoredJson().toString().replace('"', '\'')));

        assertThat(read).isEqualTo(twin);
    }

    @Test
    void a_twin_read_back_continues_with_the_same_rules() {
        TwinDocument twin = busyTwin();
        TwinDocument read = TwinDocument.fromStoredJson(twin.toStoredJson());

        TwinChange direct = twin.patchFromService(obj("{'x':1}"), obj("{'fan':{'modes':null}}"), T1);
        TwinChange viaStore = read.patchFromService(obj("{'x':1}"), obj("{'fan':{'modes':null}}"), T1);

        assertThat(viaStore.after()).isEqualTo(direct.after());
        assertThat(viaStore.desiredNotification()).isEqualTo(direct.desiredNotification());
    }

    @Test
    void the_stored_etag_is_not_trusted() {
        JsonObject stored = busyTwin().toStoredJson();
        stored.addProperty("etag", "garbage");

        assertThat(TwinDocument.fromStoredJson(stored).etag()).isEqualTo(busyTwin().etag());
    }

    @Test
    void reading_keeps_no_reference_to_the_stored_json() {
        JsonObject stored = busyTwin().toStoredJson();
        TwinDocument read = TwinDocument.fromStoredJson(stored);

        stored.getAsJsonObject("tags").addProperty("sneaky", 1);
        stored.getAsJsonObject("properties").getAsJsonObject("desired").addProperty("sneaky", 1);

        assertThat(read).isEqualTo(busyTwin());
    }

    @Test
    void a_stored_twin_without_tags_reads_as_empty_tags() {
        JsonObject stored = TwinDocument.createNew(T0, TwinLimits.defaults()).toStoredJson();
        stored.remove("tags");

        assertThat(TwinDocument.fromStoredJson(stored).tags()).isEqualTo(new JsonObject());
    }

    @ParameterizedTest
    @ValueSource(strings = {"version", "properties"})
    void a_stored_twin_missing_a_required_part_is_refused(String part) {
        JsonObject stored = busyTwin().toStoredJson();
        stored.remove(part);

        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> TwinDocument.fromStoredJson(stored)))
                .hasMessageContaining(part);
    }

    @Test
    void a_stored_section_without_a_version_is_refused() {
        JsonObject stored = busyTwin().toStoredJson();
        stored.getAsJsonObject("properties").getAsJsonObject("reported").remove("$version");

        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> TwinDocument.fromStoredJson(stored)))
                .hasMessageContaining("properties.reported.$version");
    }

    @Test
    void limits_are_not_stored_but_given_when_reading() {
        TwinLimits small = TwinLimits.defaults().withTagsMaxBytes(100);

        TwinDocument read = TwinDocument.fromStoredJson(busyTwin().withLimits(small).toStoredJson());
        TwinDocument readWithLimits = TwinDocument.fromStoredJson(busyTwin().toStoredJson(), small);

        assertThat(read.limits()).isEqualTo(TwinLimits.defaults());
        assertThat(readWithLimits.limits()).isEqualTo(small);
    }
}
