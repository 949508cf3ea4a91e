package lab.devicetwins.localhub.it.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.auth.SasToken;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /devices/query} seen without the SDK, which hides headers: the body is always a JSON array,
 * {@code x-ms-continuation} is present exactly while more pages exist, {@code x-ms-item-type} names the kind of rows.
 */
class QueryResponseOverHttpsTest {

    private static final int SEEDED = 105;

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0)
            .seedDevices(IntStream.range(0, SEEDED).mapToObj("seed-%03d"::formatted).toList()));

    private static HttpClient http;

    /** Five of the seeded devices get a plant tag through the service SDK. */
    @BeforeAll
    static void tag_five_devices() throws Exception {
        TwinFleet fleet = new TwinFleet(new OfficialSdks(localHub.hub()));
        for (int i = 0; i < 5; i++) {
            fleet.tag("seed-%03d".formatted(i), Map.of("plant", i < 4 ? "Redmond43" : "Seattle"));
        }
        http = HttpClient.newBuilder().sslContext(localHub.hub().clientSslContext()).build();
    }

    private record Page(int status, JsonElement body, Optional<String> continuation, Optional<String> itemType,
                        Optional<String> errorCode) {}

    private static Page post(String query, String pageSize, String continuation) throws Exception {
        LocalHub hub = localHub.hub();
        String key = hub.ownerConnectionString().replaceFirst(".*SharedAccessKey=", "");
        JsonObject body = new JsonObject();
        body.addProperty("query", query);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + hub.hostName() + ":"
                        + hub.httpsPort() + "/devices/query?api-version=2021-04-12"))
                .header("Authorization", SasToken.create(hub.hostName(), key, "iothubowner",
                        Instant.now().plus(1, ChronoUnit.HOURS)))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (pageSize != null) {
            request.header("x-ms-max-item-count", pageSize);
        }
        if (continuation != null) {
            request.header("x-ms-continuation", continuation);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Page(response.statusCode(), JsonParser.parseString(response.body()),
                response.headers().firstValue("x-ms-continuation"), response.headers().firstValue("x-ms-item-type"),
                response.headers().firstValue("iothub-errorcode"));
    }

    /** Follows continuation tokens until a page comes without one. */
    private static List<Page> allPages(String query, String pageSize) throws Exception {
        List<Page> pages = new ArrayList<>();
        String token = null;
        do {
            Page page = post(query, pageSize, token);
            assertThat(page.status()).isEqualTo(200);
            pages.add(page);
            token = page.continuation().orElse(null);
        } while (token != null && pages.size() <= SEEDED);
        return pages;
    }

    private static List<Integer> sizes(List<Page> pages) {
        return pages.stream().map(p -> p.body().getAsJsonArray().size()).toList();
    }

    @ParameterizedTest(name = "{0} in pages of {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            SELECT * FROM devices WHERE tags.plant = 'Redmond43'                  | 2 | 2,2
            SELECT * FROM devices WHERE IS_DEFINED(tags.plant)                    | 2 | 2,2,1
            SELECT deviceId FROM devices WHERE tags.plant = 'Redmond43'           | 3 | 3,1
            SELECT tags.plant, COUNT() AS n FROM devices GROUP BY tags.plant      | 1 | 1,1,1
            SELECT * FROM devices WHERE tags.plant = 'Tokyo'                      | 2 | 0
            """)
    void every_page_is_a_json_array_and_only_the_last_lacks_a_continuation(String query, String pageSize,
                                                                          String expectedSizes) throws Exception {
        List<Page> pages = allPages(query, pageSize);

        assertThat(pages).allSatisfy(p -> assertThat(p.body().isJsonArray()).isTrue());
        assertThat(sizes(pages)).isEqualTo(Arrays.stream(expectedSizes.split(",")).map(Integer::valueOf).toList());
        assertThat(pages.subList(0, pages.size() - 1)).allSatisfy(p -> assertThat(p.continuation()).isPresent()
                .get().asString().isNotEmpty());
        assertThat(pages.get(pages.size() - 1).continuation()).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            SELECT * FROM devices                                   | twin
            SELECT TOP 3 * FROM devices WHERE deviceId > 'seed-050' | twin
            SELECT deviceId, tags.plant AS plant FROM devices       | raw
            SELECT COUNT() AS n FROM devices                        | raw
            SELECT status, COUNT() FROM devices GROUP BY status     | raw
            """)
    void the_item_type_header_says_whether_rows_are_twins(String query, String itemType) throws Exception {
        Page page = post(query, "5", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.itemType()).contains(itemType);
    }

    @Test
    void without_a_page_size_header_a_page_holds_100_rows() throws Exception {
        List<Page> pages = allPages("SELECT deviceId FROM devices", null);

        assertThat(sizes(pages)).containsExactly(100, SEEDED - 100);
    }

    @Test
    void a_page_size_above_100_is_served_in_pages_of_100() throws Exception {
        List<Page> pages = allPages("SELECT deviceId FROM devices", "1000");

        assertThat(sizes(pages)).containsExactly(100, SEEDED - 100);
    }

    @ParameterizedTest(name = "[{index}] page size {0}, token {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "none", textBlock = """
            0    | none          | x-ms-max-item-count
            -5   | none          | x-ms-max-item-count
            many | none          | x-ms-max-item-count
            5    | not-a-token   | continuation
            """)
    void a_bad_page_size_or_token_is_a_bad_request_with_the_hub_error_body(String pageSize, String token,
                                                                           String named) throws Exception {
        Page page = post("SELECT * FROM devices", pageSize, token);

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.errorCode()).contains("ArgumentInvalid");
        JsonObject error = JsonParser.parseString(page.body().getAsJsonObject().get("Message").getAsString())
                .getAsJsonObject();
        assertThat(error.get("errorCode").getAsInt()).isEqualTo(400004);
        assertThat(error.get("message").getAsString()).contains(named);
    }

    @Test
    void a_token_only_continues_the_query_it_came_from() throws Exception {
        String token = post("SELECT * FROM devices", "2", null).continuation().orElseThrow();

        Page other = post("SELECT deviceId FROM devices", "2", token);

        assertThat(other.status()).isEqualTo(400);
        assertThat(other.errorCode()).contains("ArgumentInvalid");
    }
}
