package lab.devicetwins.tutorial.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import java.util.Map;
import java.util.UUID;
import lab.devicetwins.localhub.LocalHub;
import org.junit.jupiter.api.Test;

/**
 * The Node.js SDKs' module calls ({@code src/test/node/modules.js}: the service SDK's {@code Registry} module and
 * module-twin calls, the device SDK's {@code ModuleClient} over MQTT) against the embedded local hub, with the SDKs as
 * npm installs them. Skipped without Node.js as {@link NodeArticleTest} is.
 */
class NodeModulesTest extends NodeSdkTest {
    @Test
    void a_module_is_registered_reports_hears_desired_and_is_removed_through_the_node_sdks(TestHub testHub)
            throws Exception {
        LocalHub hub = embeddedHub(testHub);
        String deviceId = "node-modules-" + UUID.randomUUID();
        RegistryClient registry = new RegistryClient(testHub.target().registryConnectionString(),
                testHub.target().registryClientOptions());
        registry.addDevice(new Device(deviceId));
        try {
            String output = run(hub, "modules.js",
                    Map.of("HUB_HOST_NAME", hub.hostName(), "MODULE_DEVICE_ID", deviceId));

            Map<String, String> steps = NodeScripts.steps(output);
            assertThat(steps.get("get")).as(output).isEqualTo("node-module sas");
            assertThat(steps.get("list")).as(output).isEqualTo("node-module");
            assertThat(steps.get("reported")).as(output)
                    .isEqualTo("{\"pipeline\":\"node\",\"moduleId\":\"node-module\",\"connectionState\":\"Connected\"}");
            assertThat(steps.get("desired")).as(output).isEqualTo("{\"speed\":3,\"version\":2}");
            assertThat(steps.get("after-remove")).as(output).isEqualTo("error 404");
            assertThat(registry.getModulesOnDevice(deviceId)).as("checked through the Java SDK").isEmpty();
        } finally {
            registry.removeDevice(deviceId);
        }
    }
}
