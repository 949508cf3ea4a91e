package lab.devicetwins.tutorial.query.exercises;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.microsoft.azure.sdk.iot.service.twin.Twin;

import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.tutorial.exercise.ExerciseHub;

@Tag("ex-03-1-paging")
class FleetPagesTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private static final String FLEET = "SELECT * FROM devices WHERE tags.plant = 'Paging7'";
    private static final List<String> fleet = new ArrayList<>();
    private static ExerciseHub hub;

    @BeforeAll
    static void register_a_fleet_of_seven_devices_in_one_plant() throws Exception {
        hub = ExerciseHub.of(localHub.hub());
        for (int i = 0; i < 7; i++) {
            String id = hub.newDevice("page");
            Twin tags = new Twin(id);
            tags.getTags().put("plant", "Paging7");
            hub.twins().patch(tags);
            fleet.add(id);
        }
        hub.newDevice("elsewhere"); // not in the plant
        fleet.sort(null);
    }

    @ParameterizedTest(name = "page size {0} gives pages of {1}")
    @CsvSource({
            "3, 3 3 1",
            "1, 1 1 1 1 1 1 1",
            "7, 7",
            "100, 7",
    })
    void every_page_holds_as_many_twins_as_asked_for_until_the_fleet_is_used_up(int pageSize, String expectedSizes) throws Exception {
        List<List<String>> pages = new FleetPages(hub.queries()).deviceIdPages(FLEET, pageSize);

        assertThat(pages).extracting(List::size)
                .containsExactly(List.of(expectedSizes.split(" ")).stream().map(Integer::valueOf).toArray(Integer[]::new));
    }

    @Test
    void the_pages_together_hold_each_device_of_the_fleet_once_in_order() throws Exception {
        List<List<String>> pages = new FleetPages(hub.queries()).deviceIdPages(FLEET, 2);

        assertThat(pages.stream().flatMap(Collection::stream).toList()).isEqualTo(fleet);
    }

    @Test
    void a_query_nothing_matches_has_no_pages() throws Exception {
        List<List<String>> pages = new FleetPages(hub.queries())
                .deviceIdPages("SELECT * FROM devices WHERE tags.plant = 'Nowhere'", 3);

        assertThat(pages).isEmpty();
    }
}
