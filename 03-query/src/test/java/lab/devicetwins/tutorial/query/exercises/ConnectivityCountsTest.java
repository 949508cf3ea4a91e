package lab.devicetwins.tutorial.query.exercises;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.twin.Twin;

import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.tutorial.exercise.ExerciseHub;

@Tag("ex-03-2-group-by")
class ConnectivityCountsTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private static ExerciseHub hub;

    @BeforeAll
    static void register_devices_in_two_plants() throws Exception {
        hub = ExerciseHub.of(localHub.hub());
        device("Redmond43", "cellular");
        device("Redmond43", "cellular");
        device("Redmond43", "cellular");
        device("Redmond43", "wifi");
        device("Redmond43", null);
        device("Seattle", "wifi");
        device("Seattle", "wifi");
    }

    @Test
    void the_devices_of_a_plant_are_counted_per_connectivity_type() throws Exception {
        Map<String, Integer> counts = ConnectivityCounts.byConnectivityType(hub.queries(), "Redmond43");

        assertThat(counts).containsOnly(entry("cellular", 3), entry("wifi", 1), entry(ConnectivityCounts.UNKNOWN, 1));
    }

    @Test
    void devices_of_other_plants_are_not_counted() throws Exception {
        Map<String, Integer> counts = ConnectivityCounts.byConnectivityType(hub.queries(), "Seattle");

        assertThat(counts).containsOnly(entry("wifi", 2));
    }

    @Test
    void a_plant_without_devices_has_no_counts() throws Exception {
        Map<String, Integer> counts = ConnectivityCounts.byConnectivityType(hub.queries(), "Nowhere");

        assertThat(counts).isEmpty();
    }

    /** A device tagged with its plant that reports its connectivity type (null: reports nothing). */
    private static void device(String plant, String connectivityType) throws Exception {
        String id = hub.newDevice("count");
        Twin tags = new Twin(id);
        tags.getTags().put("plant", plant);
        hub.twins().patch(tags);
        if (connectivityType != null) {
            TwinCollection reported = new TwinCollection();
            reported.put("connectivityType", connectivityType);
            hub.report(id, reported);
        }
    }
}
