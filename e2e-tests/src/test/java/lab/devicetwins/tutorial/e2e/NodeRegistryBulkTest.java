package lab.devicetwins.tutorial.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import lab.devicetwins.localhub.LocalHub;
import org.junit.jupiter.api.Test;

/**
 * The Node.js service SDK's bulk registry calls ({@code Registry.addDevices}, {@code updateDevices},
 * {@code removeDevices}: {@code src/test/node/registry-bulk.js}) against the embedded local hub, with the SDK as
 * npm installs it; what they did is checked through the Java service SDK. Skipped without Node.js as
 * {@link NodeArticleTest} is.
 */
class NodeRegistryBulkTest extends NodeSdkTest {
    @Test
    void add_update_and_remove_devices_in_bulk_through_the_node_sdk(TestHub testHub) throws Exception {
        LocalHub hub = embeddedHub(testHub);
        String prefix = "node-bulk-" + UUID.randomUUID() + "-";
        String output = run(hub, "registry-bulk.js", Map.of("BULK_PREFIX", prefix));

        Map<String, String> steps = NodeScripts.steps(output);
        assertThat(json(steps.get("add"))).as(output).isEqualTo(json("{\"isSuccessful\":true,\"errors\":[],\"warnings\":[]}"));
        assertThat(steps.get("add-again")).as(output).startsWith("error 400 ").contains("DeviceAlreadyExists")
                .contains(prefix + "0");
        assertThat(json(steps.get("update")).get("isSuccessful").getAsBoolean()).as(output).isTrue();
        assertThat(steps.get("status-after-update")).as(output).isEqualTo("disabled");
        assertThat(steps.get("update-if-match")).as(output).startsWith("error 400 ").contains("PreconditionFailed")
                .contains(prefix + "1").doesNotContain(prefix + "2\"");
        assertThat(json(steps.get("remove")).get("isSuccessful").getAsBoolean()).as(output).isTrue();

        RegistryClient registry = new RegistryClient(testHub.target().serviceConnectionString(),
                testHub.target().registryClientOptions());
        for (String gone : List.of(prefix + "0", prefix + "99", prefix + "extra")) {
            assertThat(catchThrowableOfType(IotHubNotFoundException.class, () -> registry.getDevice(gone)))
                    .as("%s after removeDevices", gone).isNotNull();
        }
    }

    private static JsonObject json(String text) {
        assertThat(text).as("a step's output").isNotNull();
        return JsonParser.parseString(text).getAsJsonObject();
    }
}
