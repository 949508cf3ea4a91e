package lab.devicetwins.tutorial.device.exercises;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.twin.Twin;

import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.tutorial.exercise.ExerciseHub;

@Tag("ex-01-3-stale-reported")
class VersionedReporterTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private ExerciseHub hub;
    private String deviceId;
    private DeviceClient device;
    private int fetchedVersion;

    @BeforeEach
    void connect_and_fetch_the_twin() throws Exception {
        hub = ExerciseHub.of(localHub.hub());
        deviceId = hub.newDevice("stale");
        device = hub.openDevice(deviceId);
        fetchedVersion = ExerciseHub.getTwin(device).getReportedProperties().getVersion();
    }

    @AfterEach
    void disconnect() {
        hub.close();
    }

    @Test
    void a_report_on_the_current_version_is_accepted_and_its_new_version_becomes_the_known_one() throws Exception {
        VersionedReporter reporter = new VersionedReporter(device, fetchedVersion);

        int version = reporter.report(reading("HomeTemp(F)", 70));

        Twin twin = hub.twins().get(deviceId);
        assertThat(version).isEqualTo(twin.getReportedProperties().getVersion()).isGreaterThan(fetchedVersion);
        assertThat(reporter.knownVersion()).isEqualTo(version);
        assertThat(((Number) twin.getReportedProperties().get("HomeTemp(F)")).intValue()).isEqualTo(70);
    }

    @Test
    void a_report_on_a_stale_version_is_refused_then_sent_again_on_the_refreshed_version() throws Exception {
        VersionedReporter reporter = new VersionedReporter(device, fetchedVersion);
        // Someone else moves the reported version on: the reporter's known version is now stale.
        ExerciseHub.updateReported(device, reading("connectivityType", "cellular"));

        int version = reporter.report(reading("HomeTemp(F)", 72));

        Twin twin = hub.twins().get(deviceId);
        assertThat(reporter.refreshes()).as("refreshes after a 412").isGreaterThanOrEqualTo(1);
        assertThat(version).isEqualTo(twin.getReportedProperties().getVersion()).isEqualTo(reporter.knownVersion());
        assertThat(twin.getReportedProperties()).containsEntry("connectivityType", "cellular");
        assertThat(((Number) twin.getReportedProperties().get("HomeTemp(F)")).intValue()).isEqualTo(72);
    }

    @Test
    void reports_in_a_row_each_build_on_the_version_the_previous_one_returned() throws Exception {
        VersionedReporter reporter = new VersionedReporter(device, fetchedVersion);

        int first = reporter.report(reading("HomeTemp(F)", 70));
        int second = reporter.report(reading("HomeTemp(F)", 71));

        assertThat(second).isGreaterThan(first).isEqualTo(hub.twins().get(deviceId).getReportedProperties().getVersion());
    }

    private static TwinCollection reading(String name, Object value) {
        TwinCollection patch = new TwinCollection();
        patch.put(name, value);
        return patch;
    }
}
