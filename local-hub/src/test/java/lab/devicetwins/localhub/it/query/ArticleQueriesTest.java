package lab.devicetwins.localhub.it.query;

import static lab.devicetwins.localhub.it.query.QueryPages.flatten;
import static lab.devicetwins.localhub.it.query.QueryPages.sizes;
import static lab.devicetwins.localhub.it.query.QueryPages.twinPages;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two queries of IoT Hub's "query twins" article through the official QueryClient, over twins whose tags were set
 * with TwinClient.patch and whose reported properties were sent by devices over MQTT.
 */
class ArticleQueriesTest {

    private static final String IN_PLANT = "SELECT * FROM devices WHERE tags.plant = 'Redmond43'";
    private static final String CELLULAR_IN_PLANT = IN_PLANT
            + " AND properties.reported.connectivityType = 'cellular'";

    /** A device of the article's fleet: its plant tag and what it reports as connectivity (null: never reported). */
    private record Member(String deviceId, String plant, String connectivityType) {}

    private static final List<Member> FLEET = List.of(
            new Member("redmond-1", "Redmond43", "cellular"),
            new Member("redmond-2", "Redmond43", "wifi"),
            new Member("redmond-3", "Redmond43", "cellular"),
            new Member("redmond-4", "Redmond43", null),
            new Member("redmond-5", "Redmond43", "cellular"),
            new Member("redmond-6", "Redmond43", "wifi"),
            new Member("redmond-7", "Redmond43", "cellular"),
            new Member("seattle-1", "Seattle", "cellular"),
            new Member("seattle-2", "Seattle", null),
            new Member("untagged-1", null, "cellular"));

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).seedDevices(List.of()));

    private static OfficialSdks sdks;

    @BeforeAll
    static void create_the_fleet_through_the_sdks() throws Exception {
        sdks = new OfficialSdks(localHub.hub());
        TwinFleet fleet = new TwinFleet(sdks);
        for (Member member : FLEET) {
            fleet.add(member.deviceId());
            if (member.plant() != null) {
                fleet.tag(member.deviceId(), Map.of("plant", member.plant()));
            }
            if (member.connectivityType() != null) {
                fleet.report(member.deviceId(), Map.of("connectivityType", member.connectivityType()));
            }
        }
    }

    private static List<String> expected(String query) {
        Predicate<Member> inPlant = m -> "Redmond43".equals(m.plant());
        Predicate<Member> selected = query.equals(IN_PLANT)
                ? inPlant : inPlant.and(m -> "cellular".equals(m.connectivityType()));
        return FLEET.stream().filter(selected).map(Member::deviceId).sorted().toList();
    }

    /** Pages of {@code pageSize} items, except a shorter last one. */
    private static List<Integer> fullPagesThenRest(int total, int pageSize) {
        List<Integer> sizes = new ArrayList<>();
        for (int left = total; left > 0; left -= pageSize) {
            sizes.add(Math.min(left, pageSize));
        }
        return sizes;
    }

    @ParameterizedTest(name = "{0} in pages of {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT * FROM devices WHERE tags.plant = 'Redmond43'                                                     | 100
            SELECT * FROM devices WHERE tags.plant = 'Redmond43'                                                     | 3
            SELECT * FROM devices WHERE tags.plant = 'Redmond43' AND properties.reported.connectivityType = 'cellular' | 100
            SELECT * FROM devices WHERE tags.plant = 'Redmond43' AND properties.reported.connectivityType = 'cellular' | 3
            """)
    void the_article_queries_find_exactly_the_matching_twins_page_by_page(String query, int pageSize) throws Exception {
        QueryClient queries = sdks.queries();
        QueryPageOptions options = QueryPageOptions.builder().pageSize(pageSize).build();

        List<List<String>> pages = twinPages(queries.queryTwins(query, options), options);

        List<String> wanted = expected(query);
        assertThat(flatten(pages)).containsExactlyElementsOf(wanted);
        assertThat(sizes(pages)).isEqualTo(fullPagesThenRest(wanted.size(), pageSize));
    }

    @Test
    void the_twins_found_carry_their_tags_and_the_properties_their_devices_reported() throws Exception {
        TwinQueryResponse response = sdks.twins().query(CELLULAR_IN_PLANT);
        List<Twin> found = new ArrayList<>();
        while (response.hasNext()) {
            found.add(response.next());
        }

        assertThat(found).extracting(Twin::getDeviceId).containsExactlyElementsOf(expected(CELLULAR_IN_PLANT));
        assertThat(found).allSatisfy(twin -> {
            assertThat(twin.getTags().get("plant")).isEqualTo("Redmond43");
            assertThat(twin.getReportedProperties().get("connectivityType")).isEqualTo("cellular");
            assertThat(twin.getReportedProperties().getVersion()).isEqualTo(2);
            assertThat(twin.getETag()).isNotBlank();
        });
    }

    @Test
    void follow_up_pages_fall_back_to_the_sdk_default_of_50_unless_next_is_given_options() throws Exception {
        QueryPageOptions firstPageOnly = QueryPageOptions.builder().pageSize(3).build();

        List<List<String>> pages = twinPages(sdks.queries().queryTwins(IN_PLANT, firstPageOnly), null);

        int total = expected(IN_PLANT).size();
        assertThat(sizes(pages)).containsExactly(3, total - 3);
    }

    @Test
    void a_tag_patched_a_moment_ago_is_already_seen_by_the_next_query() throws Exception {
        TwinFleet fleet = new TwinFleet(sdks);
        fleet.tag("seattle-2", Map.of("plant", "Redmond43"));
        try {
            List<String> found = flatten(twinPages(sdks.queries().queryTwins(IN_PLANT), null));

            assertThat(found).contains("seattle-2").hasSize(expected(IN_PLANT).size() + 1);
        } finally {
            fleet.tag("seattle-2", Map.of("plant", "Seattle"));
        }
    }
}
