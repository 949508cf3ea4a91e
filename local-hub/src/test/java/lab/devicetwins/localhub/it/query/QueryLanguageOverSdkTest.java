package lab.devicetwins.localhub.it.query;

import static lab.devicetwins.localhub.it.query.QueryPages.flatten;
import static lab.devicetwins.localhub.it.query.QueryPages.rawPages;
import static lab.devicetwins.localhub.it.query.QueryPages.sizes;
import static lab.devicetwins.localhub.it.query.QueryPages.twinPages;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceStatus;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every operator and function family of the query language through the official QueryClient: conditions with
 * queryTwins, projections, aliases and aggregates with queryRaw.
 */
class QueryLanguageOverSdkTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).seedDevices(List.of()));

    private static OfficialSdks sdks;

    /**
     * op-1 and op-2 are in plant Redmond43, op-3 in Seattle; op-4 has no tags, a desired property and is disabled.
     * op-1 also reports over MQTT, with a name that needs brackets.
     */
    @BeforeAll
    static void create_the_twins() throws Exception {
        sdks = new OfficialSdks(localHub.hub());
        TwinFleet fleet = new TwinFleet(sdks);
        for (String id : List.of("op-1", "op-2", "op-3", "op-4")) {
            fleet.add(id);
        }
        fleet.tag("op-1", Map.of("plant", "Redmond43", "floor", 1, "temp", 20.5, "active", true, "name", "Alpha",
                "labels", List.of("x", "y"), "location", Map.of("city", "Redmond"), "code", "42"));
        fleet.tag("op-2", Map.of("plant", "Redmond43", "floor", 2, "temp", 25, "active", false, "name", "beta"));
        fleet.tag("op-3", Map.of("plant", "Seattle", "floor", 3, "temp", "hot", "name", "Gamma's", "mask", 31,
                "city", "Zürich"));
        fleet.desire("op-4", Map.of("interval", 30));
        fleet.report("op-1", Map.of("connectivityType", "cellular", "HomeTemp(F)", 71));
        RegistryClient registry = sdks.registry();
        Device disabled = registry.getDevice("op-4");
        disabled.setStatus(DeviceStatus.Disabled);
        registry.updateDevice(disabled);
    }

    private static List<String> idsMatching(String condition) throws Exception {
        String query = "SELECT * FROM devices WHERE " + condition;
        return flatten(twinPages(sdks.queries().queryTwins(query), QueryPageOptions.builder().build()));
    }

    private static List<String> ids(String expected) {
        return expected == null ? List.of() : Arrays.stream(expected.split(" ")).toList();
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "none", textBlock = """
            tags.floor = 2                                          | op-2
            tags.floor != 2                                         | op-1 op-3
            tags.floor <> 2                                         | op-1 op-3
            tags.floor < 2                                          | op-1
            tags.floor > 2                                          | op-3
            tags.floor <= 2                                         | op-1 op-2
            tags.floor >= 2                                         | op-2 op-3
            tags.temp > 20                                          | op-1 op-2
            tags.temp != 'cold'                                     | op-3
            tags.active = true                                      | op-1
            tags.active = false                                     | op-2
            tags.mask = 0x1F                                        | op-3
            tags.name = "Gamma's"                                   | op-3
            tags.name = 'Gamma\\'s'                                 | op-3
            tags.name = 'Alph\\u0061'                               | op-1
            tags.location.city = 'Redmond'                          | op-1
            tags.location = tags.location                           | none
            tags.plant = 'Redmond43' AND tags.floor > 1             | op-2
            tags.floor = 1 OR tags.floor = 3                        | op-1 op-3
            NOT (tags.plant = 'Seattle')                            | op-1 op-2
            (tags.floor = 1 OR tags.floor = 2) AND NOT tags.active  | op-2
            tags.plant IN ['Seattle', 'Tokyo']                      | op-3
            tags.floor NIN [1, 3]                                   | op-2
            tags.floor * 10 + 5 = 25                                | op-2
            tags.floor - 1 = 0                                      | op-1
            tags.floor / 2 = 1.5                                    | op-3
            tags.floor % 2 = 1                                      | op-1 op-3
            -tags.floor = -3                                        | op-3
            IS_DEFINED(tags.labels)                                 | op-1
            NOT IS_DEFINED(tags.plant)                              | op-4
            IS_DEFINED(properties.desired.interval)                 | op-4
            properties.desired.interval = 30                        | op-4
            IS_BOOL(tags.active)                                    | op-1 op-2
            IS_NUMBER(tags.temp)                                    | op-1 op-2
            IS_STRING(tags.temp)                                    | op-3
            IS_OBJECT(tags.location)                                | op-1
            IS_ARRAY(tags.labels)                                   | op-1
            IS_PRIMITIVE(tags.name)                                 | op-1 op-2 op-3
            NOT IS_NULL(tags.name)                                  | op-1 op-2 op-3 op-4
            AS_NUMBER(tags.code) = 42                               | op-1
            IS_NUMBER(AS_NUMBER(tags.name))                         | none
            ABS(-tags.floor) = 2                                    | op-2
            CEILING(tags.temp) = 21                                 | op-1
            FLOOR(tags.temp) = 20                                   | op-1
            SIGN(tags.floor - 2) = -1                               | op-1
            SQRT(tags.mask + 5) = 6                                 | op-3
            SQUARE(tags.floor) = 9                                  | op-3
            POWER(tags.floor, 3) = 8                                | op-2
            EXP(tags.floor - tags.floor) = 1                        | op-1 op-2 op-3
            LOWER(tags.name) = 'alpha'                              | op-1
            UPPER(tags.name) = 'BETA'                               | op-2
            LENGTH(tags.name) = 4                                   | op-2
            CONCAT(tags.plant, '-', tags.name) = 'Redmond43-beta'   | op-2
            SUBSTRING(tags.plant, 0, 7) = 'Redmond'                 | op-1 op-2
            INDEX_OF(tags.name, 'mm') = 2                           | op-3
            STARTS_WITH(tags.plant, 'Red')                          | op-1 op-2
            ENDS_WITH(tags.name, 'a')                               | op-1 op-2
            CONTAINS(tags.name, 'amm')                              | op-3
            tags.city = 'Z\\u00fcrich' AND LENGTH(tags.city) = 6    | op-3
            tags.floor in [2, 3] and not (tags.plant = 'Seattle')   | op-2
            properties.reported.connectivityType = 'cellular'       | op-1
            properties.reported['HomeTemp(F)'] > 70                 | op-1
            status = 'disabled'                                     | op-4
            DeviceId = 'op-3'                                       | op-3
            connectionState = 'Disconnected' AND deviceId < 'op-3'  | op-1 op-2
            """)
    void each_operator_and_function_selects_the_twins_it_should(String condition, String expected) throws Exception {
        assertThat(idsMatching(condition)).containsExactlyElementsOf(ids(expected));
    }

    @Test
    void keywords_and_system_property_names_may_be_in_any_case_and_span_lines() throws Exception {
        List<String> found = flatten(twinPages(sdks.queries().queryTwins(
                "select *\n  from DEVICES\n  where STATUS = 'enabled'\n    and tags.Floor = 2 or TAGS.floor = 3"),
                QueryPageOptions.builder().build()));

        assertThat(found).containsExactly("op-3");
    }

    private static List<JsonElement> raw(String query) throws Exception {
        return flatten(rawPages(sdks.queries().queryRaw(query), QueryPageOptions.builder().build())).stream()
                .map(JsonParser::parseString).toList();
    }

    private static List<JsonElement> json(String... items) {
        return Arrays.stream(items).map(JsonParser::parseString).toList();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            SELECT deviceId, tags.location.city, tags.floor AS level FROM devices WHERE tags.plant = 'Redmond43' | [{"deviceId":"op-1","city":"Redmond","level":1},{"deviceId":"op-2","level":2}]
            SELECT DeviceId, STATUS AS state FROM devices WHERE deviceId = 'op-4'                                | [{"deviceId":"op-4","state":"disabled"}]
            SELECT properties.reported['HomeTemp(F)'], tags.labels FROM devices WHERE deviceId = 'op-1'          | [{"HomeTemp(F)":71,"labels":["x","y"]}]
            SELECT properties.desired.interval, properties.desired.$version FROM devices WHERE deviceId = 'op-4'  | [{"interval":30,"$version":2}]
            SELECT COUNT() AS n FROM devices                                                                      | [{"n":4}]
            SELECT COUNT(), SUM(tags.floor) FROM devices                                                          | [{"$1":4,"$2":6}]
            SELECT AVG(tags.floor) AS mean, MIN(tags.temp) AS lo, MAX(tags.temp) AS hi FROM devices              | [{"mean":2,"lo":20.5,"hi":"hot"}]
            SELECT tags.plant, COUNT() AS n FROM devices GROUP BY tags.plant                                      | [{"n":1},{"plant":"Redmond43","n":2},{"plant":"Seattle","n":1}]
            SELECT status, COUNT() AS n, SUM(tags.floor) AS floors FROM devices GROUP BY status                   | [{"status":"disabled","n":1},{"status":"enabled","n":3,"floors":6}]
            """)
    void projections_aliases_and_aggregates_come_back_as_raw_json(String query, String expected) throws Exception {
        List<JsonElement> wanted = new ArrayList<>();
        JsonParser.parseString(expected).getAsJsonArray().forEach(wanted::add);

        assertThat(raw(query)).containsExactlyElementsOf(wanted);
    }

    @Test
    void select_star_through_query_raw_gives_the_whole_twin() throws Exception {
        List<JsonElement> twins = raw("SELECT * FROM devices WHERE deviceId = 'op-1'");

        assertThat(twins).hasSize(1);
        var twin = twins.get(0).getAsJsonObject();
        assertThat(twin.get("deviceId").getAsString()).isEqualTo("op-1");
        assertThat(twin.getAsJsonObject("tags").get("plant").getAsString()).isEqualTo("Redmond43");
        assertThat(twin.getAsJsonObject("properties").getAsJsonObject("reported").has("$metadata")).isTrue();
    }

    @Test
    void top_limits_the_results_across_pages() throws Exception {
        QueryPageOptions onePerPage = QueryPageOptions.builder().pageSize(1).build();

        List<List<String>> pages = twinPages(sdks.queries().queryTwins("SELECT TOP 2 * FROM devices", onePerPage),
                onePerPage);

        assertThat(flatten(pages)).containsExactly("op-1", "op-2");
        assertThat(sizes(pages)).containsExactly(1, 1);
    }

    @Test
    void group_rows_are_paged_like_twins() throws Exception {
        QueryPageOptions twoPerPage = QueryPageOptions.builder().pageSize(2).build();
        String query = "SELECT tags.floor, COUNT() AS n FROM devices GROUP BY tags.floor";

        List<List<String>> pages = rawPages(sdks.queries().queryRaw(query, twoPerPage), twoPerPage);

        assertThat(sizes(pages)).containsExactly(2, 2);
        assertThat(flatten(pages).stream().map(JsonParser::parseString).toList()).containsExactlyElementsOf(
                json("{\"n\":1}", "{\"floor\":1,\"n\":1}", "{\"floor\":2,\"n\":1}", "{\"floor\":3,\"n\":1}"));
    }
}
