package lab.devicetwins.localhub.it.query;

import static lab.devicetwins.localhub.it.query.QueryPages.flatten;
import static lab.devicetwins.localhub.it.query.QueryPages.rawPages;
import static lab.devicetwins.localhub.it.query.QueryPages.sizes;
import static lab.devicetwins.localhub.it.query.QueryPages.twinPages;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.SqlQueryBuilder;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The queries the Java SDK's own e2e tests send (QueryClientTests.testRawQuery, QueryTwinTests.testQueryTwin): desired
 * properties named "KeyQuery" + a UUID, written into the query without brackets, through the official QueryClient.
 * One name is fixed, with the UUID groups that lex as numbers on their own (1e23, 4123, 123456789012); the other is
 * drawn the way the SDK draws it.
 */
class DashedNamesOverSdkTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).seedDevices(List.of()));

    private static final List<String> WITH_PROPERTY = List.of("e2e-1", "e2e-2", "e2e-3", "e2e-4");
    private static final String WITHOUT_PROPERTY = "e2e-5";
    private static final List<String> NAMES = List.of("KeyQuery0d1e23f4-1e23-4123-8abc-123456789012",
            "KeyQuery" + UUID.randomUUID());

    private static OfficialSdks sdks;

    /** Four devices desire each name with its value (as the SDK test does, with TwinClient.patch); a fifth neither. */
    @BeforeAll
    static void desire_the_properties() throws Exception {
        sdks = new OfficialSdks(localHub.hub());
        TwinFleet fleet = new TwinFleet(sdks);
        for (String id : WITH_PROPERTY) {
            fleet.add(id);
            for (String name : NAMES) {
                fleet.desire(id, Map.of(name, valueOf(name)));
            }
        }
        fleet.add(WITHOUT_PROPERTY);
    }

    private static String valueOf(String name) {
        return "ValueQuery" + name.substring("KeyQuery".length());
    }

    static Stream<String> names() {
        return NAMES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void the_raw_group_by_query_counts_the_devices_under_the_dashed_alias(String name) throws Exception {
        String select = "properties.desired." + name + " AS " + name + ", COUNT() AS numberOfDevices";
        String query = SqlQueryBuilder.createSqlQuery(select, SqlQueryBuilder.FromType.DEVICES, null,
                "properties.desired." + name);

        List<JsonElement> rows = flatten(rawPages(sdks.queries().queryRaw(query), QueryPageOptions.builder().build()))
                .stream().map(JsonParser::parseString).toList();

        assertThat(rows).containsExactly(JsonParser.parseString("{\"numberOfDevices\":1}"),
                JsonParser.parseString("{\"" + name + "\":\"" + valueOf(name) + "\",\"numberOfDevices\":4}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void is_defined_on_the_dashed_name_finds_the_twins_page_by_page(String name) throws Exception {
        String query = SqlQueryBuilder.createSqlQuery("*", SqlQueryBuilder.FromType.DEVICES,
                "is_defined(properties.desired." + name + ")", null);
        QueryPageOptions twoPerPage = QueryPageOptions.builder().pageSize(2).build();

        TwinQueryResponse response = sdks.queries().queryTwins(query, twoPerPage);
        List<Object> values = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (response.hasNext()) {
            Twin twin = response.next(twoPerPage);
            ids.add(twin.getDeviceId());
            values.add(twin.getDesiredProperties().get(name));
        }

        assertThat(ids).containsExactlyElementsOf(WITH_PROPERTY);
        assertThat(values).containsOnly(valueOf(name));
        assertThat(sizes(twinPages(sdks.queries().queryTwins(query, twoPerPage), twoPerPage))).containsExactly(2, 2);
    }
}
