package lab.devicetwins.tutorial.query.exercises;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.twin.Twin;

import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.tutorial.exercise.ExerciseHub;

@Tag("ex-03-3-lagging")
class LaggingDevicesTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private ExerciseHub hub;
    /** Each test asks about a property of its own, so the devices of the other tests do not count. */
    private String property;

    @BeforeEach
    void connect(TestInfo test) {
        hub = ExerciseHub.of(localHub.hub());
        property = "interval" + Math.abs(test.getDisplayName().hashCode());
    }

    @Test
    void devices_that_report_another_value_or_none_lag_those_that_report_the_desired_one_do_not() throws Exception {
        device("in-sync", 30, 30);
        String behind = device("behind", 30, 60);
        String silent = device("silent", 30, null);
        device("not-asked", null, 10);

        List<String> lagging = LaggingDevices.lagging(hub.queries(), property);

        assertThat(lagging).containsExactlyInAnyOrder(behind, silent);
    }

    @Test
    void a_device_stops_lagging_once_it_reports_the_desired_value() throws Exception {
        String catchingUp = device("catching-up", 45, 15);
        assertThat(LaggingDevices.lagging(hub.queries(), property)).containsExactly(catchingUp);

        report(catchingUp, 45);

        assertThat(LaggingDevices.lagging(hub.queries(), property)).isEmpty();
    }

    @Test
    void a_device_lags_again_when_the_desired_value_changes() throws Exception {
        String device = device("moved", 20, 20);
        assertThat(LaggingDevices.lagging(hub.queries(), property)).isEmpty();

        Twin patch = new Twin(device);
        patch.getDesiredProperties().put(property, 25);
        hub.twins().patch(patch);

        assertThat(LaggingDevices.lagging(hub.queries(), property)).containsExactly(device);
    }

    /** A device with the desired and the reported value of the property (null: not set). */
    private String device(String name, Integer desired, Integer reported) throws Exception {
        String id = hub.newDevice(name);
        if (desired != null) {
            Twin patch = new Twin(id);
            patch.getDesiredProperties().put(property, desired);
            hub.twins().patch(patch);
        }
        if (reported != null) {
            report(id, reported);
        }
        return id;
    }

    private void report(String id, int value) throws Exception {
        TwinCollection patch = new TwinCollection();
        patch.put(property, value);
        hub.report(id, patch);
    }
}
