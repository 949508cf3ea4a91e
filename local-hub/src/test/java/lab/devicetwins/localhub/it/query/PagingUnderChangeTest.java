package lab.devicetwins.localhub.it.query;

import static lab.devicetwins.localhub.it.query.QueryPages.flatten;
import static lab.devicetwins.localhub.it.query.QueryPages.sizes;
import static lab.devicetwins.localhub.it.query.QueryPages.twinPages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import java.util.stream.IntStream;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Paging 60 twins in pages of 7 through the official QueryClient while, between two pages, twins are patched, added
 * and removed: each twin that matches throughout arrives exactly once, whatever happens around it.
 */
class PagingUnderChangeTest {

    private static final int DEVICES = 60;
    private static final int PAGE_SIZE = 7;
    private static final String QUERY = "SELECT * FROM devices WHERE tags.fleet = 'paging'";

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).seedDevices(List.of()));

    private OfficialSdks sdks;
    private TwinFleet fleet;
    private final TreeSet<String> present = new TreeSet<>();

    private static String id(int i) {
        return "p-%02d".formatted(i);
    }

    @BeforeEach
    void create_60_tagged_devices() throws Exception {
        sdks = new OfficialSdks(localHub.hub());
        fleet = new TwinFleet(sdks);
        for (String id : List.copyOf(allDevicesOnTheHub())) {
            fleet.remove(id);
        }
        for (int i = 0; i < DEVICES; i++) {
            fleet.add(id(i));
            fleet.tag(id(i), Map.of("fleet", "paging", "round", 0));
            present.add(id(i));
        }
    }

    private List<String> allDevicesOnTheHub() throws Exception {
        return flatten(twinPages(sdks.queries().queryTwins("SELECT * FROM devices"), QueryPageOptions.builder().build()));
    }

    private List<List<String>> pagesOf(QueryPages.BetweenPages between) throws Exception {
        QueryPageOptions options = QueryPageOptions.builder().pageSize(PAGE_SIZE).build();
        return twinPages(sdks.queries().queryTwins(QUERY, options), options, PAGE_SIZE, between);
    }

    @Test
    void an_unchanged_fleet_arrives_once_in_full_pages_of_seven() throws Exception {
        List<List<String>> pages = pagesOf((n, seen) -> { });

        assertThat(flatten(pages)).containsExactlyElementsOf(present);
        List<Integer> expectedSizes = new ArrayList<>(IntStream.range(0, DEVICES / PAGE_SIZE).map(i -> PAGE_SIZE).boxed().toList());
        expectedSizes.add(DEVICES % PAGE_SIZE);
        assertThat(sizes(pages)).isEqualTo(expectedSizes);
    }

    @Test
    void twins_patched_between_pages_arrive_exactly_once() throws Exception {
        List<List<String>> pages = pagesOf((n, seen) -> {
            String last = seen.get(seen.size() - 1);
            // one already sent and one still ahead change; neither may come twice nor go missing
            fleet.tag(seen.get(0), Map.of("round", n));
            String ahead = present.higher(present.higher(last));
            if (ahead != null) {
                fleet.tag(ahead, Map.of("round", n));
            }
        });

        List<String> received = flatten(pages);
        assertThat(received).doesNotHaveDuplicates().containsExactlyElementsOf(present);
        assertThat(pages).hasSizeGreaterThan(DEVICES / PAGE_SIZE);
    }

    @Test
    void twins_added_and_removed_between_pages_change_only_what_lies_ahead() throws Exception {
        List<String> removedAhead = new ArrayList<>();
        List<String> addedAhead = new ArrayList<>();
        List<String> addedBehind = new ArrayList<>();
        List<String> leftTheFleetAhead = new ArrayList<>();

        List<List<String>> pages = pagesOf((n, seen) -> {
            String last = seen.get(seen.size() - 1);
            String next = present.higher(last);
            if (next == null) {
                return;
            }
            // ahead: a new twin just after the position reached, one removed and one retagged a little further on
            String newAhead = last + "-new";
            fleet.add(newAhead);
            fleet.tag(newAhead, Map.of("fleet", "paging"));
            present.add(newAhead);
            addedAhead.add(newAhead);
            String further = present.higher(present.higher(newAhead));
            if (further != null) {
                fleet.remove(further);
                present.remove(further);
                removedAhead.add(further);
            }
            String retagged = further == null ? null : present.higher(further);
            if (retagged != null) {
                fleet.tag(retagged, Map.of("fleet", "elsewhere"));
                leftTheFleetAhead.add(retagged);
            }
            // behind: sorts before everything already sent, so this run of the query has passed it
            String newBehind = seen.get(0) + "-behind-" + n;
            fleet.add(newBehind);
            fleet.tag(newBehind, Map.of("fleet", "paging"));
            addedBehind.add(newBehind);
            // a removed twin that was already sent changes nothing either
            fleet.remove(seen.get(seen.size() - PAGE_SIZE));
        });

        List<String> received = flatten(pages);
        assertThat(received).doesNotHaveDuplicates().isSorted();
        assertThat(received).containsAll(addedAhead);
        assertThat(received).doesNotContainAnyElementsOf(removedAhead)
                .doesNotContainAnyElementsOf(addedBehind)
                .doesNotContainAnyElementsOf(leftTheFleetAhead);
        List<String> untouched = IntStream.range(0, DEVICES).mapToObj(PagingUnderChangeTest::id)
                .filter(id -> !removedAhead.contains(id) && !leftTheFleetAhead.contains(id)).toList();
        assertThat(received).containsAll(untouched);
        assertThat(addedAhead).hasSizeGreaterThan(5);
        assertThat(sizes(pages).subList(0, pages.size() - 1)).containsOnly(PAGE_SIZE);
    }

    @Test
    void when_every_twin_ahead_goes_away_between_pages_the_sdk_throws_no_such_element() throws Exception {
        QueryPageOptions options = QueryPageOptions.builder().pageSize(PAGE_SIZE).build();
        TwinQueryResponse response = sdks.queries().queryTwins(
                "SELECT * FROM devices WHERE tags.fleet = 'paging' AND deviceId <= '" + id(PAGE_SIZE) + "'", options);
        for (int i = 0; i < PAGE_SIZE; i++) {
            response.next(options);
        }
        assertThat(response.hasNext()).as("a token promises the twin after the first page").isTrue();

        fleet.tag(id(PAGE_SIZE), Map.of("fleet", "elsewhere"));

        assertThatThrownBy(() -> response.next(options)).isInstanceOf(NoSuchElementException.class);
    }
}
