package lab.devicetwins.localhub.it.query;

import static lab.devicetwins.localhub.it.query.QueryPages.flatten;
import static lab.devicetwins.localhub.it.query.QueryPages.twinPages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJob;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJobStatus;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hub with a query lag, through the official service SDK: queries (and the device selection of jobs) answer from
 * an index that trails writes, as IoT Hub's does, while twin and registry reads are never stale. The lag is long
 * enough for a query sent straight after a write to arrive before it has passed; what becomes visible is polled for.
 */
class QueryIndexLagOverSdkTest {
    private static final Duration LAG = Duration.ofSeconds(2);
    private static final Duration BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).seedDevices(List.of())
            .profile(HubProfile.local().withQueryLag(LAG)));

    private OfficialSdks sdks;
    private TwinFleet fleet;

    @BeforeEach
    void clients() {
        sdks = new OfficialSdks(localHub.hub());
        fleet = new TwinFleet(sdks);
    }

    private List<String> query(String query) throws Exception {
        return flatten(twinPages(sdks.queries().queryTwins(query), QueryPageOptions.builder().build()));
    }

    private List<String> withTag(String name, String value) throws Exception {
        return query("SELECT * FROM devices WHERE tags." + name + " = '" + value + "'");
    }

    /** Creates the device and waits until queries see it, so a test starts from an index that has caught up. */
    private void indexedDevice(String deviceId) throws Exception {
        fleet.add(deviceId);
        await().atMost(BOUND).until(() -> query("SELECT * FROM devices WHERE deviceId = '" + deviceId + "'"),
                ids -> ids.contains(deviceId));
    }

    @Test
    void a_created_device_is_got_at_once_and_queried_once_the_lag_has_passed() throws Exception {
        fleet.add("lag-created");

        assertThat(sdks.registry().getDevice("lag-created").getDeviceId()).isEqualTo("lag-created");
        assertThat(sdks.twins().get("lag-created").getDeviceId()).isEqualTo("lag-created");
        assertThat(query("SELECT * FROM devices WHERE deviceId = 'lag-created'")).isEmpty();
        await().atMost(BOUND).until(() -> query("SELECT * FROM devices WHERE deviceId = 'lag-created'"),
                ids -> ids.equals(List.of("lag-created")));
    }

    @Test
    void a_tag_written_is_not_in_the_immediate_query_and_is_there_once_the_lag_has_passed() throws Exception {
        indexedDevice("lag-tagged");

        fleet.tag("lag-tagged", Map.of("lagTest", "written"));

        Twin twin = sdks.twins().get("lag-tagged");
        assertThat(twin.getTags().get("lagTest")).as("a twin GET is never stale").isEqualTo("written");
        assertThat(withTag("lagTest", "written")).isEmpty();
        await().atMost(BOUND).until(() -> withTag("lagTest", "written"), ids -> ids.equals(List.of("lag-tagged")));
        assertThat(sdks.twins().get("lag-tagged").getTags().get("lagTest")).isEqualTo("written");
    }

    @Test
    void a_deleted_device_stays_in_query_results_until_the_lag_has_passed() throws Exception {
        indexedDevice("lag-deleted");

        fleet.remove("lag-deleted");

        assertThatThrownBy(() -> sdks.registry().getDevice("lag-deleted")).isInstanceOf(IotHubNotFoundException.class);
        assertThatThrownBy(() -> sdks.twins().get("lag-deleted")).isInstanceOf(IotHubNotFoundException.class);
        assertThat(query("SELECT * FROM devices WHERE deviceId = 'lag-deleted'")).containsExactly("lag-deleted");
        await().atMost(BOUND).until(() -> query("SELECT * FROM devices WHERE deviceId = 'lag-deleted'"),
                List::isEmpty);
    }

    @Test
    void a_job_selects_its_devices_from_the_same_lagging_index() throws Exception {
        indexedDevice("lag-job");
        fleet.tag("lag-job", Map.of("ring", "canary"));
        await().atMost(BOUND).until(() -> withTag("ring", "canary"), ids -> ids.equals(List.of("lag-job")));

        fleet.tag("lag-job", Map.of("ring", "broad"));

        Twin update = new Twin();
        update.getDesiredProperties().put("firmware", "2.0");
        ScheduledJob stale = completed(sdks.jobs().scheduleUpdateTwin("lag-job-stale", "tags.ring = 'canary'", update,
                new Date(), 60));
        assertThat(stale.getJobStatistics().getDeviceCount()).as("selected by the tag queries still see").isEqualTo(1);
        await().atMost(BOUND).until(() -> withTag("ring", "broad"), ids -> ids.equals(List.of("lag-job")));
        ScheduledJob caughtUp = completed(sdks.jobs().scheduleUpdateTwin("lag-job-broad", "tags.ring = 'broad'",
                update, new Date(), 60));
        assertThat(caughtUp.getJobStatistics().getDeviceCount()).isEqualTo(1);
    }

    private ScheduledJob completed(ScheduledJob job) {
        return await().atMost(BOUND).until(() -> sdks.jobs().get(job.getJobId()),
                j -> j.getJobStatus() == ScheduledJobStatus.completed);
    }
}
