package lab.devicetwins.tutorial.service.exercises;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinCollection;

import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.tutorial.exercise.ExerciseHub;

@Tag("ex-02-2-remove-desired")
class DesiredRemovalTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private ExerciseHub hub;
    private TwinClient twins;
    private String deviceId;

    @BeforeEach
    void register_a_device_with_desired_properties() throws Exception {
        hub = ExerciseHub.of(localHub.hub());
        twins = hub.twins();
        deviceId = hub.newDevice("remove");
        Twin desired = new Twin(deviceId);
        desired.getDesiredProperties().put("telemetryInterval", 30);
        desired.getDesiredProperties().put("fanSpeed", "low");
        TwinCollection config = new TwinCollection();
        config.put("mode", "eco");
        config.put("level", 2);
        desired.getDesiredProperties().put("config", config);
        twins.patch(desired);
    }

    @AfterEach
    void disconnect() {
        hub.close();
    }

    @Test
    void the_removed_property_is_gone_and_the_others_stay() throws Exception {
        int before = twins.get(deviceId).getDesiredProperties().getVersion();

        Twin after = DesiredRemoval.remove(twins, deviceId, "fanSpeed");

        assertThat(after.getDesiredProperties()).containsOnlyKeys("telemetryInterval", "config");
        assertThat(after.getDesiredProperties().getVersion()).isEqualTo(before + 1);
        assertThat(twins.get(deviceId).getDesiredProperties()).doesNotContainKey("fanSpeed");
    }

    @Test
    void a_member_of_an_object_is_removed_by_a_null_at_its_path_and_its_siblings_stay() throws Exception {
        Twin after = DesiredRemoval.remove(twins, deviceId, "config.mode");

        assertThat(after.getDesiredProperties().get("config")).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) after.getDesiredProperties().get("config")).keySet().stream().map(String::valueOf).toList()).containsExactly("level");
        assertThat(after.getDesiredProperties()).containsKeys("telemetryInterval", "fanSpeed");
    }

    @Test
    void the_device_is_told_with_a_null_for_the_removed_property() throws Exception {
        BlockingQueue<Map<String, Object>> notifications = new LinkedBlockingQueue<>();
        hub.openDevice(deviceId, (update, context) -> notifications.add(update.getDesiredProperties()));

        DesiredRemoval.remove(twins, deviceId, "fanSpeed");

        await().atMost(Duration.ofSeconds(30)).until(() -> !notifications.isEmpty());
        Map<String, Object> patch = notifications.take();
        assertThat(patch).containsOnlyKeys("fanSpeed");
        assertThat(patch.get("fanSpeed")).isNull();
    }
}
