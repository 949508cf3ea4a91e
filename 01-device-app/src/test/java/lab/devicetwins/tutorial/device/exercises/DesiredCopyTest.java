package lab.devicetwins.tutorial.device.exercises;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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

@Tag("ex-01-2-offline-catch-up")
class DesiredCopyTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private ExerciseHub hub;
    private TwinClient service;
    private String deviceId;

    @BeforeEach
    void register_a_device() throws Exception {
        hub = ExerciseHub.of(localHub.hub());
        service = hub.twins();
        deviceId = hub.newDevice("offline");
    }

    @AfterEach
    void disconnect() {
        hub.close();
    }

    @Test
    void a_change_made_while_the_device_was_offline_is_taken_when_it_reconnects() throws Exception {
        DeviceClient before = hub.openDevice(deviceId);
        DesiredCopy copy = new DesiredCopy(ExerciseHub.getTwin(before).getDesiredProperties());
        before.close();
        int changedVersion = setDesired("telemetryInterval", 5);

        DeviceClient after = hub.openDevice(deviceId);
        boolean changed = copy.catchUp(ExerciseHub.getTwin(after).getDesiredProperties());

        assertThat(changed).isTrue();
        assertThat(copy.version()).isEqualTo(changedVersion);
        assertThat(((Number) copy.get("telemetryInterval")).intValue()).isEqualTo(5);
    }

    @Test
    void reconnecting_when_nothing_changed_keeps_the_copy() throws Exception {
        setDesired("telemetryInterval", 8);
        DeviceClient device = hub.openDevice(deviceId);
        DesiredCopy copy = new DesiredCopy(ExerciseHub.getTwin(device).getDesiredProperties());

        boolean changed = copy.catchUp(ExerciseHub.getTwin(device).getDesiredProperties());

        assertThat(changed).isFalse();
        assertThat(((Number) copy.get("telemetryInterval")).intValue()).isEqualTo(8);
    }

    @Test
    void a_notification_the_fetched_twin_already_contains_is_ignored() throws Exception {
        BlockingQueue<TwinCollection> notifications = new LinkedBlockingQueue<>();
        DeviceClient device = hub.openDevice(deviceId, (update, context) -> notifications.add(update.getDesiredProperties()));
        int version = setDesired("telemetryInterval", 15);
        await().atMost(Duration.ofSeconds(30)).until(() -> !notifications.isEmpty());
        // The twin is read after the notification arrived, so it already holds that change.
        DesiredCopy copy = new DesiredCopy(ExerciseHub.getTwin(device).getDesiredProperties());

        boolean changed = copy.apply(notifications.take(), twinOf(device));

        assertThat(changed).isFalse();
        assertThat(copy.version()).isEqualTo(version);
    }

    @Test
    void a_newer_notification_is_merged_and_a_null_removes_the_property() throws Exception {
        BlockingQueue<TwinCollection> notifications = new LinkedBlockingQueue<>();
        DeviceClient device = hub.openDevice(deviceId, (update, context) -> notifications.add(update.getDesiredProperties()));
        setDesired("fanSpeed", "high");
        await().atMost(Duration.ofSeconds(30)).until(() -> !notifications.isEmpty());
        notifications.take();
        DesiredCopy copy = new DesiredCopy(ExerciseHub.getTwin(device).getDesiredProperties());

        int setVersion = setDesired("telemetryInterval", 12);
        boolean setApplied = copy.apply(notifications.poll(30, TimeUnit.SECONDS), twinOf(device));
        assertThat(copy.version()).isEqualTo(setVersion);
        int removedVersion = setDesired("fanSpeed", null);
        boolean removalApplied = copy.apply(notifications.poll(30, TimeUnit.SECONDS), twinOf(device));

        assertThat(setApplied).isTrue();
        assertThat(removalApplied).isTrue();
        assertThat(copy.version()).isEqualTo(removedVersion);
        assertThat(((Number) copy.get("telemetryInterval")).intValue()).isEqualTo(12);
        assertThat(copy.get("fanSpeed")).isNull();
    }

    @Test
    void a_null_inside_an_object_removes_that_member_and_keeps_its_siblings() throws Exception {
        BlockingQueue<TwinCollection> notifications = new LinkedBlockingQueue<>();
        DeviceClient device = hub.openDevice(deviceId, (update, context) -> notifications.add(update.getDesiredProperties()));
        setDesired("config", Map.of("mode", "eco", "level", 2));
        await().atMost(Duration.ofSeconds(30)).until(() -> !notifications.isEmpty());
        notifications.take();
        DesiredCopy copy = new DesiredCopy(ExerciseHub.getTwin(device).getDesiredProperties());

        Map<String, Object> removeMode = new HashMap<>();
        removeMode.put("mode", null);
        setDesired("config", removeMode);
        copy.apply(notifications.poll(30, TimeUnit.SECONDS), twinOf(device));

        assertThat(copy.get("config")).isInstanceOf(TwinCollection.class);
        TwinCollection config = (TwinCollection) copy.get("config");
        assertThat(config).doesNotContainKey("mode");
        assertThat(((Number) config.get("level")).intValue()).isEqualTo(2);
    }

    @Test
    void a_replace_that_leaves_a_property_out_removes_it_from_the_copy() throws Exception {
        BlockingQueue<TwinCollection> notifications = new LinkedBlockingQueue<>();
        DeviceClient device = hub.openDevice(deviceId, (update, context) -> notifications.add(update.getDesiredProperties()));
        setDesired("fanSpeed", "high");
        await().atMost(Duration.ofSeconds(30)).until(() -> !notifications.isEmpty());
        notifications.take();
        DesiredCopy copy = new DesiredCopy(ExerciseHub.getTwin(device).getDesiredProperties());

        // The back end replaces the desired properties: the notification is the whole new set, without fanSpeed.
        Twin replacement = service.get(deviceId);
        replacement.getDesiredProperties().clear();
        replacement.getDesiredProperties().put("telemetryInterval", 20);
        int replacedVersion = service.replace(replacement).getDesiredProperties().getVersion();
        TwinCollection notification = notifications.poll(30, TimeUnit.SECONDS);
        assertThat(notification).as("the replace's notification").containsKey("telemetryInterval").doesNotContainKey("fanSpeed");

        boolean changed = copy.apply(notification, twinOf(device));

        assertThat(changed).isTrue();
        assertThat(copy.version()).isEqualTo(replacedVersion);
        assertThat(((Number) copy.get("telemetryInterval")).intValue()).isEqualTo(20);
        assertThat(copy.get("fanSpeed")).as("a property the replace removed").isNull();
    }

    private static DesiredCopy.DesiredSource twinOf(DeviceClient device) {
        return () -> ExerciseHub.getTwin(device).getDesiredProperties();
    }

    private int setDesired(String name, Object value) throws Exception {
        Twin patch = new Twin(deviceId);
        patch.getDesiredProperties().put(name, value);
        return service.patch(patch).getDesiredProperties().getVersion();
    }
}
