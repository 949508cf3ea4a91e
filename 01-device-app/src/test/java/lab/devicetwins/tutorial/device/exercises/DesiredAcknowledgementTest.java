package lab.devicetwins.tutorial.device.exercises;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;

import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.tutorial.exercise.ExerciseHub;

@Tag("ex-01-1-ack-desired")
class DesiredAcknowledgementTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private ExerciseHub hub;
    private TwinClient service;
    private String deviceId;
    private DeviceClient device;
    private final BlockingQueue<TwinCollection> notifications = new LinkedBlockingQueue<>();

    @BeforeEach
    void connect_a_new_device() throws Exception {
        hub = ExerciseHub.of(localHub.hub());
        service = hub.twins();
        deviceId = hub.newDevice("ack");
        device = hub.openDevice(deviceId, (update, context) -> notifications.add(update.getDesiredProperties()));
    }

    @AfterEach
    void disconnect() {
        hub.close();
    }

    @Test
    void every_desired_property_is_answered_with_its_value_status_and_the_desired_version() throws Exception {
        Twin desired = new Twin(deviceId);
        desired.getDesiredProperties().put("targetTemperature", 21);
        desired.getDesiredProperties().put("fanSpeed", "low");
        int desiredVersion = service.patch(desired).getDesiredProperties().getVersion();
        TwinCollection fetched = ExerciseHub.getTwin(device).getDesiredProperties();

        int reportedVersion = DesiredAcknowledgement.acknowledge(device, fetched);

        Twin twin = service.get(deviceId);
        assertThat(reportedVersion).isEqualTo(twin.getReportedProperties().getVersion());
        assertThat(acknowledgement(twin, "targetTemperature")).containsOnly(
                entry("value", 21L), entry("ac", 200L), entry("av", (long) desiredVersion), entry("ad", "applied"));
        assertThat(acknowledgement(twin, "fanSpeed")).containsOnly(
                entry("value", "low"), entry("ac", 200L), entry("av", (long) desiredVersion), entry("ad", "applied"));
    }

    @Test
    void a_notification_is_acknowledged_with_its_own_version_not_the_version_of_an_older_twin() throws Exception {
        Twin first = new Twin(deviceId);
        first.getDesiredProperties().put("targetTemperature", 19);
        service.patch(first);
        Twin second = new Twin(deviceId);
        second.getDesiredProperties().put("targetTemperature", 23);
        int latestVersion = service.patch(second).getDesiredProperties().getVersion();
        await().atMost(Duration.ofSeconds(30)).until(() -> notifications.size() == 2);
        notifications.take();

        DesiredAcknowledgement.acknowledge(device, notifications.take());

        assertThat(acknowledgement(service.get(deviceId), "targetTemperature"))
                .contains(entry("av", (long) latestVersion), entry("value", 23L));
    }

    @Test
    void a_property_the_back_end_removed_has_nothing_to_acknowledge() {
        TwinCollection patch = new TwinCollection();
        patch.put("targetTemperature", 20);
        patch.put("fanSpeed", null);
        patch.setVersion(7);

        TwinCollection reported = DesiredAcknowledgement.acknowledgementOf(patch, "applied");

        assertThat(reported).containsOnlyKeys("targetTemperature");
        assertThat(normalised(reported.get("targetTemperature")))
                .containsOnly(entry("value", 20L), entry("ac", 200L), entry("av", 7L), entry("ad", "applied"));
    }

    private static Map<String, Object> acknowledgement(Twin twin, String property) {
        return normalised(twin.getReportedProperties().get(property));
    }

    /** An acknowledgement object with every whole number as a Long (JSON does not say int or long). */
    private static Map<String, Object> normalised(Object acknowledgement) {
        assertThat(acknowledgement).as("an acknowledgement object").isInstanceOf(Map.class);
        Map<String, Object> values = new HashMap<>();
        ((Map<?, ?>) acknowledgement).forEach((key, value) ->
                values.put(String.valueOf(key), value instanceof Number n && n.doubleValue() == n.longValue() ? (Object) n.longValue() : value));
        return values;
    }
}
