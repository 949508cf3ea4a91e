package lab.devicetwins.localhub.query;

import static lab.devicetwins.localhub.query.TwinDocument.twin;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Result shapes: whole twins, projections, aggregates, and the item type that goes with each. */
class TwinQueryResultTest {

    private final TwinQueryEngine engine = new TwinQueryEngine();
    private TwinTable table;
    private List<JsonObject> twins;

    @BeforeEach
    void fill_the_table() {
        twins = List.of(
                twin("d1").with("tags.location.plant", "Redmond43").with("properties.reported.temp", 20)
                        .with("properties.reported.telemetryConfig.status", "Success")
                        .with("properties.reported.HomeTemp(F)", 71).json(),
                twin("d2").with("tags.location.plant", "Redmond43").with("properties.reported.temp", 25.5)
                        .with("properties.reported.telemetryConfig.status", "Success").json(),
                twin("d3").with("tags.location.plant", "Seattle").with("properties.reported.temp", "hot")
                        .with("properties.reported.telemetryConfig.status", "Pending").json(),
                twin("d4").with("tags.location.plant", "Seattle").with("properties.reported.temp", 10)
                        .with("properties.reported.telemetryConfig.status", "Success").json(),
                twin("d5").with("status", "disabled")
                        .with("properties.reported.telemetryConfig.status", "Error").json());
        table = new TwinTable();
        for (JsonObject twin : twins) {
            table.put(twin);
        }
    }

    @Test
    void select_star_returns_the_stored_twins_unchanged_as_twin_items() {
        QueryPage page = engine.execute(table, "SELECT * FROM devices", null, null);

        assertThat(page.items()).containsExactlyElementsOf(twins);
        assertThat(page.itemType()).isEqualTo("twin");
        assertThat(page.continuationToken()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            SELECT deviceId, tags.location.plant FROM devices WHERE deviceId IN ['d1', 'd5'] | [{"deviceId":"d1","plant":"Redmond43"},{"deviceId":"d5"}]
            SELECT DeviceId, STATUS AS state FROM devices WHERE deviceId = 'd5'             | [{"deviceId":"d5","state":"disabled"}]
            SELECT properties.reported.temp AS t FROM devices WHERE deviceId < 'd4'         | [{"t":20},{"t":25.5},{"t":"hot"}]
            SELECT properties.reported['HomeTemp(F)'] FROM devices WHERE deviceId = 'd1'    | [{"HomeTemp(F)":71}]
            SELECT properties.reported.telemetryConfig FROM devices WHERE deviceId = 'd3'   | [{"telemetryConfig":{"status":"Pending"}}]
            SELECT tags.nothing FROM devices WHERE deviceId = 'd1'                          | [{}]
            SELECT LastActivityTime, x509Thumbprint.PrimaryThumbprint FROM devices WHERE deviceId = 'd1' | [{"lastActivityTime":"0001-01-01T00:00:00Z","primaryThumbprint":null}]
            SELECT COUNT() AS n FROM devices                                                | [{"n":5}]
            SELECT COUNT() FROM devices WHERE tags.location.plant = 'Redmond43'             | [{"$1":2}]
            SELECT COUNT() AS n FROM devices WHERE false                                    | [{"n":0}]
            SELECT COUNT(), SUM(properties.reported.temp) FROM devices                      | [{"$1":5,"$2":55.5}]
            SELECT SUM(properties.reported.temp) AS s FROM devices WHERE deviceId = 'd5'    | [{}]
            SELECT MIN(properties.reported.temp) AS lo, MAX(properties.reported.temp) AS hi FROM devices | [{"lo":10,"hi":"hot"}]
            SELECT MAX(properties.reported.temp) AS hi FROM devices WHERE deviceId != 'd3'  | [{"hi":25.5}]
            SELECT AVG(properties.reported.temp) AS mean FROM devices WHERE tags.location.plant = 'Seattle' | [{"mean":10.0}]
            SELECT properties.reported.telemetryConfig.status AS status, COUNT() AS numberOfDevices FROM devices GROUP BY properties.reported.telemetryConfig.status | [{"status":"Error","numberOfDevices":1},{"status":"Pending","numberOfDevices":1},{"status":"Success","numberOfDevices":3}]
            SELECT tags.location.plant, COUNT() AS n, SUM(properties.reported.temp) AS total, MIN(properties.reported.temp) AS lo FROM devices GROUP BY tags.location.plant | [{"n":1},{"plant":"Redmond43","n":2,"total":45.5,"lo":20},{"plant":"Seattle","n":2,"total":10,"lo":10}]
            SELECT tags.location.plant FROM devices GROUP BY tags.location.plant             | [{},{"plant":"Redmond43"},{"plant":"Seattle"}]
            SELECT TOP 2 tags.location.plant AS p, COUNT() AS n FROM devices GROUP BY tags.location.plant | [{"n":1},{"p":"Redmond43","n":2}]
            """)
    void projections_and_aggregates_have_the_documented_shape(String query, String expectedJson) {
        QueryPage page = engine.execute(table, query, null, null);

        assertThat(page.items()).containsExactlyElementsOf(jsonObjects(expectedJson));
        assertThat(page.itemType()).isEqualTo("raw");
        assertThat(page.continuationToken()).isEmpty();
    }

    @Test
    void aggregate_groups_are_paged_like_twins() {
        String query = "SELECT properties.reported.telemetryConfig.status AS status, COUNT() AS n FROM devices "
                + "GROUP BY properties.reported.telemetryConfig.status";
        List<JsonObject> all = engine.execute(table, query, 100, null).items();

        List<JsonObject> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            QueryPage page = engine.execute(table, query, 1, token);
            assertThat(page.items()).hasSize(1);
            paged.addAll(page.items());
            token = page.continuationToken().orElse(null);
            pages++;
        } while (token != null);

        assertThat(all).hasSize(3);
        assertThat(paged).containsExactlyElementsOf(all);
        assertThat(pages).isEqualTo(3);
    }

    /**
     * The raw query of the Java SDK's e2e test (QueryClientTests.testRawQuery): a desired property named "KeyQuery" +
     * a UUID, selected, aliased and grouped by without brackets. This UUID has groups that lex as numbers on their
     * own ({@code 1e23}, {@code 4123}, {@code 123456789012}).
     */
    @Test
    void the_sdk_e2e_group_by_a_dashed_desired_property_counts_each_value_under_that_name() {
        String name = "KeyQuery0d1e23f4-1e23-4123-8abc-123456789012";
        for (String id : List.of("d6", "d7", "d8")) {
            table.put(twin(id).with("properties.desired." + name, "ValueQuery").json());
        }
        table.put(twin("d9").with("properties.desired." + name, "Other").json());
        String query = "SELECT properties.desired." + name + " AS " + name + ", COUNT() AS numberOfDevices "
                + "FROM devices GROUP BY properties.desired." + name;

        QueryPage page = engine.execute(table, query, null, null);

        assertThat(page.items()).containsExactlyElementsOf(jsonObjects("""
                [{"numberOfDevices":5},
                 {"%1$s":"Other","numberOfDevices":1},
                 {"%1$s":"ValueQuery","numberOfDevices":3}]""".formatted(name)));
        assertThat(engine.execute(table, "SELECT deviceId FROM devices WHERE is_defined(properties.desired." + name
                + ")", null, null).items()).containsExactlyElementsOf(jsonObjects(
                "[{\"deviceId\":\"d6\"},{\"deviceId\":\"d7\"},{\"deviceId\":\"d8\"},{\"deviceId\":\"d9\"}]"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            properties.reported.n-1 = 7         | [{"deviceId":"d6"}]
            properties.reported['n-1'] = 7      | [{"deviceId":"d6"}]
            properties.reported.n - 1 = 4       | [{"deviceId":"d6"}]
            properties.reported.n -1 = 4        | [{"deviceId":"d6"}]
            properties.reported.n- 1 = 4        | [{"deviceId":"d6"}]
            (properties.reported.n)-1 = 4       | [{"deviceId":"d6"}]
            properties.reported.n-1 = 4         | []
            version-1 = 1                       | [{"deviceId":"d6"}]
            """)
    void a_dashed_name_and_a_subtraction_select_different_twins(String condition, String expectedJson) {
        table = new TwinTable();
        table.put(twin("d6").with("properties.reported.n", 5).with("properties.reported.n-1", 7).json());

        QueryPage page = engine.execute(table, "SELECT deviceId FROM devices WHERE " + condition, null, null);

        assertThat(page.items()).containsExactlyElementsOf(jsonObjects(expectedJson));
    }

    @Test
    void constants_and_names_that_look_like_sql_are_only_text() {
        String hostile = "x'); DROP TABLE twins; --";
        String query = "SELECT * FROM devices WHERE tags.location.plant = \"" + hostile + "\" OR tags[\"" + hostile + "\"] = 1";

        assertThat(engine.execute(table, query, null, null).items()).isEmpty();
        table.put(twin("d6").with("tags.location.plant", hostile).json());
        assertThat(engine.execute(table, query, null, null).items())
                .extracting(twin -> twin.get("deviceId").getAsString()).containsExactly("d6");
        assertThat(engine.execute(table, "SELECT COUNT() AS n FROM devices", null, null).items())
                .containsExactly(jsonObjects("[{\"n\":6}]").get(0));
    }

    private static List<JsonObject> jsonObjects(String json) {
        List<JsonObject> objects = new ArrayList<>();
        JsonParser.parseString(json).getAsJsonArray().forEach(e -> objects.add(e.getAsJsonObject()));
        return objects;
    }
}
