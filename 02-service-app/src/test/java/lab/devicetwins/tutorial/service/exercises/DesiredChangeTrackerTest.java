package lab.devicetwins.tutorial.service.exercises;

import static org.assertj.core.api.Assertions.assertThat;
import static lab.devicetwins.tutorial.exercise.ExerciseAssertions.thrownBy;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

@Tag("ex-02-3-await-ack")
class DesiredChangeTrackerTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private ExerciseHub hub;
    private TwinClient twins;
    private DesiredChangeTracker tracker;
    private String deviceId;
    private DeviceClient device;
    private final BlockingQueue<TwinCollection> notifications = new LinkedBlockingQueue<>();

    @BeforeEach
    void connect_a_device() throws Exception {
        hub = ExerciseHub.of(localHub.hub());
        twins = hub.twins();
        tracker = new DesiredChangeTracker(twins);
        deviceId = hub.newDevice("await-ack");
        device = hub.openDevice(deviceId, (update, context) -> notifications.add(update.getDesiredProperties()));
    }

    @AfterEach
    void disconnect() {
        hub.close();
    }

    @Test
    void set_returns_the_desired_version_the_hub_gave_the_change() throws Exception {
        int version = tracker.set(deviceId, "telemetryInterval", 30);

        Twin twin = twins.get(deviceId);
        assertThat(version).isEqualTo(twin.getDesiredProperties().getVersion());
        assertThat(((Number) twin.getDesiredProperties().get("telemetryInterval")).intValue()).isEqualTo(30);
    }

    @Test
    void only_an_accepted_acknowledgement_of_that_version_or_a_newer_one_counts() throws Exception {
        int version = tracker.set(deviceId, "telemetryInterval", 30);
        assertThat(DesiredChangeTracker.isAcknowledged(twins.get(deviceId), "telemetryInterval", version))
                .as("before the device answered").isFalse();

        acknowledge("telemetryInterval", 30, 200, version - 1);
        assertThat(DesiredChangeTracker.isAcknowledged(twins.get(deviceId), "telemetryInterval", version))
                .as("acknowledged an older version").isFalse();

        acknowledge("telemetryInterval", 30, 400, version);
        assertThat(DesiredChangeTracker.isAcknowledged(twins.get(deviceId), "telemetryInterval", version))
                .as("refused by the device (ac 400)").isFalse();

        acknowledge("telemetryInterval", 30, 200, version);
        assertThat(DesiredChangeTracker.isAcknowledged(twins.get(deviceId), "telemetryInterval", version))
                .as("accepted with that version").isTrue();
        assertThat(DesiredChangeTracker.isAcknowledged(twins.get(deviceId), "telemetryInterval", version - 1))
                .as("a newer acknowledgement covers an older change").isTrue();
    }

    @Test
    void waiting_returns_the_twin_once_the_device_acknowledged_the_change() throws Exception {
        int version = tracker.set(deviceId, "telemetryInterval", 45);
        // The device answers on its own thread, when the notification arrives.
        CompletableFuture<Void> deviceAnswers = CompletableFuture.runAsync(() -> {
            try {
                TwinCollection patch = notifications.poll(30, TimeUnit.SECONDS);
                acknowledge("telemetryInterval", patch.get("telemetryInterval"), 200, patch.getVersion());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        Twin twin = tracker.awaitAcknowledgement(deviceId, "telemetryInterval", version, Duration.ofSeconds(30));

        deviceAnswers.get(30, TimeUnit.SECONDS);
        assertThat(DesiredChangeTracker.isAcknowledged(twin, "telemetryInterval", version)).isTrue();
    }

    @Test
    void waiting_gives_up_with_a_timeout_when_the_device_never_answers() throws Exception {
        int version = tracker.set(deviceId, "telemetryInterval", 60);

        Throwable thrown = thrownBy(() ->
                tracker.awaitAcknowledgement(deviceId, "telemetryInterval", version, Duration.ofSeconds(1)));

        assertThat(thrown).isInstanceOf(TimeoutException.class);
    }

    /** What the device of exercise ex-01-1-ack-desired reports. */
    private void acknowledge(String property, Object value, int status, int desiredVersion) throws Exception {
        TwinCollection acknowledgement = new TwinCollection();
        acknowledgement.put("value", value);
        acknowledgement.put("ac", status);
        acknowledgement.put("av", desiredVersion);
        acknowledgement.put("ad", status == 200 ? "applied" : "refused");
        TwinCollection reported = new TwinCollection();
        reported.put(property, acknowledgement);
        ExerciseHub.updateReported(device, reported);
    }
}
