package lab.devicetwins.localhub.query;

import static lab.devicetwins.localhub.query.TwinDocument.twin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a row gives the evaluator: values at paths of the twin document, and the document itself. */
class QueryRowTest {

    private final JsonObject document = twin("d1")
            .with("tags.location.region", "US")
            .with("properties.desired.telemetryInterval", 30)
            .with("properties.reported.connectivity.type", "cellular")
            .with("properties.reported.$metadata.connectivity.$lastUpdated", "2026-11-27T14:05:02.1234567Z")
            .with("properties.reported.level", JsonParser.parseString("1.50"))
            .withJson("properties.reported.list", "[{\"a\":1}]")
            .withJson("properties.reported.nothing", "null")
            .json();
    private final QueryRow row = QueryRow.of(document);

    private static AttributePath path(String dotted) {
        return AttributePath.of(dotted.split("\\."));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            deviceId                                                   | "d1"
            status                                                     | "enabled"
            version                                                    | 2
            tags.location.region                                       | "US"
            tags.location                                              | {"region":"US"}
            properties.reported.connectivity.type                      | "cellular"
            properties.desired.$version                                | 1
            properties.desired.telemetryInterval                       | 30
            properties.reported.$metadata.connectivity.$lastUpdated    | "2026-11-27T14:05:02.1234567Z"
            x509Thumbprint.primaryThumbprint                           | null
            properties.reported.nothing                                | null
            properties.reported.level                                  | 1.50
            properties.reported.list                                   | [{"a":1}]
            """)
    void attribute_gives_the_value_at_a_path_of_the_twin_document(String path, String json) {
        assertThat(row.attribute(path(path))).hasToString(json);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            tags.nothing
            tags.location.region.more
            status.length
            properties.reported.list.0
            properties.reported.list.0.a
            properties.reported.nothing.x
            Tags.location.REGION
            """)
    void attribute_is_absent_where_a_path_leads_nowhere_and_arrays_are_not_indexed(String path) {
        assertThat(row.attribute(path(path))).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            DeviceID                                  | deviceId                                  | "d1"
            STATUS                                    | status                                    | "enabled"
            Properties.REPORTED.connectivity.type     | properties.reported.connectivity.type     | "cellular"
            capabilities.IOTEDGE                      | capabilities.iotEdge                      | false
            X509THUMBPRINT.PrimaryThumbprint          | x509Thumbprint.primaryThumbprint          | null
            TAGS.location.region                      | tags.location.region                      | "US"
            """)
    void the_hubs_own_names_are_found_in_any_case_because_paths_are_canonical(String written, String canonical,
                                                                             String json) {
        AttributePath path = path(written);

        assertThat(path).isEqualTo(path(canonical)).hasToString(canonical);
        assertThat(row.attribute(path)).hasToString(json);
    }

    @Test
    void names_chosen_by_applications_keep_their_case() {
        assertThat(path("tags.Location.Region").segments()).containsExactly("tags", "Location", "Region");
        assertThat(row.attribute(path("tags.Location.region"))).isNull();
        assertThat(row.attribute(path("properties.reported.Connectivity.type"))).isNull();
    }

    @Test
    void document_is_the_whole_twin_and_device_id_its_key() {
        assertThat(row.key()).isEqualTo("d1");
        assertThat(row.document()).isSameAs(document);
    }

    @Test
    void a_document_without_a_string_device_id_is_refused() {
        JsonObject noId = twin("d1").json();
        noId.remove("deviceId");
        JsonObject numericId = twin("d1").with("deviceId", 7).json();

        assertThatThrownBy(() -> QueryRow.of(noId)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueryRow.of(numericId)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_source_of_rows_yields_them_in_device_id_order_strictly_after_a_key() {
        TwinSource source = TwinSource.of(List.of(row("c"), row("a"), row("b2"), row("b")));

        assertThat(ids(source.after(null))).containsExactly("a", "b", "b2", "c");
        assertThat(ids(source.after("b"))).containsExactly("b2", "c");
        assertThat(ids(source.after("bb"))).containsExactly("c");
        assertThat(ids(source.after("c"))).isEmpty();
    }

    @Test
    void a_source_refuses_two_rows_for_one_device() {
        assertThatThrownBy(() -> TwinSource.of(List.of(row("a"), row("a"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
    }

    private static QueryRow row(String deviceId) {
        return QueryRow.of(twin(deviceId).json());
    }

    private static List<String> ids(Iterable<QueryRow> rows) {
        return StreamSupport.stream(rows.spliterator(), false).map(QueryRow::key).toList();
    }

    /** A row that counts what the evaluator asks of it. */
    private static final class WatchedRow implements QueryRow {
        private final QueryRow row;
        private final List<String> paths = new ArrayList<>();
        private int documents;

        WatchedRow(JsonObject twin) {
            row = QueryRow.of(twin);
        }

        @Override
        public String key() {
            return row.key();
        }

        @Override
        public JsonElement attribute(AttributePath path) {
            paths.add(path.toString());
            return row.attribute(path);
        }

        @Override
        public JsonObject document() {
            documents++;
            return row.document();
        }
    }

    private static List<WatchedRow> watchedFleet() {
        List<WatchedRow> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(new WatchedRow(twin("d" + i).with("tags.floor", i)
                    .withJson("properties.reported.config", "{\"mode\":\"eco\",\"steps\":[1,2]}").json()));
        }
        return rows;
    }

    @Test
    void whole_twins_are_asked_for_only_for_the_rows_on_the_page() {
        List<WatchedRow> rows = watchedFleet();

        QueryPage page = new TwinQueryEngine().execute(TwinSource.of(rows), "SELECT * FROM devices WHERE tags.floor >= 2",
                3, null);

        assertThat(page.items()).hasSize(3);
        assertThat(page.continuationToken()).isPresent();
        assertThat(rows).extracting(r -> r.documents).containsExactly(0, 0, 1, 1, 1, 0, 0, 0, 0, 0);
    }

    @Test
    void conditions_projections_and_aggregates_read_only_the_paths_they_name() {
        List<WatchedRow> rows = watchedFleet();
        TwinQueryEngine engine = new TwinQueryEngine();

        engine.execute(TwinSource.of(rows), "SELECT deviceId, properties.reported.config.mode FROM devices "
                + "WHERE tags.floor > 7", 100, null);
        engine.execute(TwinSource.of(rows), "SELECT tags.floor, COUNT(), MAX(properties.reported.x) FROM devices "
                + "GROUP BY tags.floor", 100, null);

        assertThat(rows).allSatisfy(r -> assertThat(r.documents).isZero());
        assertThat(rows.get(9).paths).containsExactly("tags.floor", "deviceId", "properties.reported.config.mode",
                "tags.floor", "properties.reported.x");
        assertThat(rows.get(0).paths).containsExactly("tags.floor", "tags.floor", "properties.reported.x");
    }

    @Test
    void the_evaluator_leaves_the_rows_unchanged_and_pages_never_share_their_values() {
        List<WatchedRow> rows = watchedFleet();
        List<JsonObject> before = rows.stream().map(r -> r.row.document().deepCopy()).toList();
        TwinQueryEngine engine = new TwinQueryEngine();

        List<QueryPage> pages = new ArrayList<>();
        for (String query : Arrays.asList(
                "SELECT properties.reported.config AS c FROM devices WHERE IS_OBJECT(properties.reported.config)",
                "SELECT properties.reported.config AS c, COUNT() AS n FROM devices GROUP BY properties.reported.config",
                "SELECT MIN(tags.floor) AS lo, SUM(tags.floor) AS total FROM devices WHERE NOT (tags.floor IN [1, 2])")) {
            pages.add(engine.execute(TwinSource.of(rows), query, 100, null));
        }
        for (QueryPage page : pages) {
            page.items().forEach(item -> {
                if (item.has("c")) {
                    item.getAsJsonObject("c").addProperty("mode", "changed by a caller");
                    item.getAsJsonObject("c").getAsJsonArray("steps").add(3);
                }
            });
        }

        assertThat(rows).extracting(r -> r.row.document()).containsExactlyElementsOf(before);
        assertThat(pages.get(1).items()).hasSize(1);
        assertThat(pages.get(2).items().get(0)).hasToString("{\"lo\":0,\"total\":42}");
    }
}
