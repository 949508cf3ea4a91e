package lab.devicetwins.localhub.query;

import static lab.devicetwins.localhub.query.TwinDocument.twin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Paging over 250 twins: every row exactly once, tokens only while rows remain, TOP across pages. */
class TwinQueryPagingTest {

    private static final int TWINS = 250;
    private static final String ARTICLE_QUERY = "SELECT * FROM devices WHERE tags.plant = 'Redmond43' "
            + "AND properties.reported.connectivityType = 'cellular'";

    private final TwinQueryEngine engine = new TwinQueryEngine();
    private TwinTable table;

    @BeforeEach
    void fill_the_table() {
        table = new TwinTable();
        for (int i = 0; i < TWINS; i++) {
            table.put(generated(i));
        }
    }

    /** Every third twin is in plant Redmond43 (article layout), every other one reports cellular. */
    private static JsonObject generated(int i) {
        return twin(id(i))
                .with("tags.plant", i % 3 == 0 ? "Redmond43" : "Redmond" + i)
                .with("properties.reported.connectivityType", i % 2 == 0 ? "cellular" : "wifi")
                .json();
    }

    private static String id(int i) {
        return "device-%03d".formatted(i);
    }

    private static List<String> ids(IntStream indexes) {
        return indexes.mapToObj(TwinQueryPagingTest::id).toList();
    }

    private List<QueryPage> allPages(String query, Integer pageSize) {
        List<QueryPage> pages = new ArrayList<>();
        String token = null;
        do {
            QueryPage page = engine.execute(table, query, pageSize, token);
            pages.add(page);
            token = page.continuationToken().orElse(null);
        } while (token != null);
        return pages;
    }

    private static List<String> deviceIds(List<QueryPage> pages) {
        return pages.stream().flatMap(p -> p.items().stream()).map(t -> t.get("deviceId").getAsString()).toList();
    }

    @ParameterizedTest(name = "page size {0}")
    @ValueSource(ints = {1, 3, 100})
    void all_twins_arrive_once_in_device_id_order_whatever_the_page_size(int pageSize) {
        List<QueryPage> pages = allPages("SELECT * FROM devices", pageSize);

        assertThat(deviceIds(pages)).containsExactlyElementsOf(ids(IntStream.range(0, TWINS)));
        assertThat(pages).hasSize((TWINS + pageSize - 1) / pageSize);
        assertThat(pages).allSatisfy(page -> assertThat(page.items()).isNotEmpty());
        assertThat(pages.subList(0, pages.size() - 1)).allSatisfy(page -> {
            assertThat(page.items()).hasSize(pageSize);
            assertThat(page.continuationToken()).hasValueSatisfying(token -> assertThat(token).isNotBlank());
        });
        assertThat(pages.get(pages.size() - 1).continuationToken()).isEmpty();
    }

    @ParameterizedTest(name = "page size {0}")
    @ValueSource(ints = {3, 100})
    void the_articles_query_pages_through_exactly_the_matching_twins(int pageSize) {
        List<QueryPage> pages = allPages(ARTICLE_QUERY, pageSize);

        assertThat(deviceIds(pages)).containsExactlyElementsOf(ids(IntStream.range(0, TWINS).filter(i -> i % 6 == 0)));
    }

    @ParameterizedTest(name = "TOP {0} in pages of {1}")
    @CsvSource({"7, 3, 3", "7, 100, 1", "6, 3, 2", "300, 100, 3", "1, 1, 1"})
    void top_limits_the_rows_across_all_pages(int top, int pageSize, int expectedPages) {
        List<QueryPage> pages = allPages("SELECT TOP " + top + " * FROM devices", pageSize);

        assertThat(deviceIds(pages)).containsExactlyElementsOf(ids(IntStream.range(0, Math.min(top, TWINS))));
        assertThat(pages).hasSize(expectedPages);
    }

    @Test
    void top_zero_returns_an_empty_last_page() {
        QueryPage page = engine.execute(table, "SELECT TOP 0 * FROM devices", 10, null);

        assertThat(page.items()).isEmpty();
        assertThat(page.continuationToken()).isEmpty();
    }

    @Test
    void an_empty_result_is_one_empty_page_without_a_token() {
        QueryPage page = engine.execute(table, "SELECT * FROM devices WHERE tags.plant = 'nowhere'", 10, null);

        assertThat(page.items()).isEmpty();
        assertThat(page.continuationToken()).isEmpty();
    }

    @Test
    void twins_that_change_between_pages_are_never_sent_twice_and_unchanged_ones_never_missed() {
        String query = "SELECT * FROM devices WHERE properties.reported.connectivityType = 'cellular'";
        List<String> seen = new ArrayList<>();
        QueryPage page = engine.execute(table, query, 10, null);
        seen.addAll(deviceIds(List.of(page)));

        // Between pages: delete a sent and an unsent twin, change sent and unsent twins, insert before and after
        // the position reached (device-0095 sorts behind the cursor, device-999 ahead of it).
        table.delete(id(0));
        table.delete(id(100));
        table.put(twin(id(2)).with("properties.reported.connectivityType", "wifi").json());
        table.put(twin(id(4)).with("properties.reported.connectivityType", "cellular").with("tags.moved", true).json());
        table.put(twin(id(102)).with("properties.reported.connectivityType", "wifi").json());
        table.put(twin("device-0095").with("properties.reported.connectivityType", "cellular").json());
        table.put(twin("device-999").with("properties.reported.connectivityType", "cellular").json());

        while (page.continuationToken().isPresent()) {
            page = engine.execute(table, query, 10, page.continuationToken().get());
            assertThat(page.items()).isNotEmpty();
            seen.addAll(deviceIds(List.of(page)));
        }

        List<String> untouched = ids(IntStream.range(0, TWINS).filter(i -> i % 2 == 0)
                .filter(i -> i != 0 && i != 100 && i != 2 && i != 4 && i != 102));
        assertThat(seen).doesNotHaveDuplicates()
                .containsAll(untouched)
                .contains("device-999")
                .doesNotContain(id(100), id(102), "device-0095");
        assertThat(seen).isSortedAccordingTo(String::compareTo);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not-a-token", "%%%", "W10", "eyJxIjoxfQ", "eyJxIjoiYSIsImsiOiJiIiwibiI6MS41fQ",
            "eyJxIjoiYSIsImsiOiJiIiwibiI6MWU5OTk5OX0"})
    void a_garbage_continuation_token_is_refused(String token) {
        assertThatThrownBy(() -> engine.execute(table, "SELECT * FROM devices", 10, token))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID))
                .hasMessageContaining("not a continuation token issued by the local hub");
    }

    @Test
    void a_token_is_refused_with_a_different_query() {
        String token = engine.execute(table, "SELECT * FROM devices", 10, null)
                .continuationToken().orElseThrow();

        assertThatThrownBy(() -> engine.execute(table, ARTICLE_QUERY, 10, token))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID))
                .hasMessageContaining("belongs to a different query");
    }

    @Test
    void a_token_can_be_replayed_and_gives_the_same_page() {
        String token = engine.execute(table, "SELECT * FROM devices", 10, null)
                .continuationToken().orElseThrow();

        QueryPage first = engine.execute(table, "SELECT * FROM devices", 10, token);
        QueryPage again = engine.execute(table, "SELECT * FROM devices", 10, token);

        assertThat(again.items()).isEqualTo(first.items());
        assertThat(deviceIds(List.of(first))).containsExactlyElementsOf(ids(IntStream.range(10, 20)));
    }

    @Test
    void a_token_is_opaque_base64_of_json() {
        String token = engine.execute(table, "SELECT * FROM devices", 10, null)
                .continuationToken().orElseThrow();

        String json = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{").contains(id(9));
    }

    @Test
    void without_a_page_size_header_pages_have_the_default_size() {
        QueryPage page = engine.execute(table, "SELECT * FROM devices", null, null);

        assertThat(page.items()).hasSize(TwinQueryEngine.DEFAULT_PAGE_SIZE);
    }

    @Test
    void a_page_size_above_the_maximum_is_served_in_pages_of_the_maximum() {
        List<QueryPage> pages = allPages("SELECT * FROM devices", 1000);

        assertThat(pages.get(0).items()).hasSize(TwinQueryEngine.MAX_PAGE_SIZE);
        assertThat(deviceIds(pages)).hasSize(TWINS).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0, -1})
    void a_page_size_below_one_is_refused(int pageSize) {
        assertThatThrownBy(() -> engine.execute(table, "SELECT * FROM devices", pageSize, null))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID))
                .hasMessageContaining("x-ms-max-item-count");
    }
}
