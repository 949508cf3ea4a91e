package lab.devicetwins.tutorial.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import lab.devicetwins.localhub.LocalHub;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Direct methods through the Node.js SDKs ({@code src/test/node/methods.js}: the service SDK's
 * {@code Client.invokeDeviceMethod}, the device SDK's {@code onDeviceMethod} over MQTT) against the embedded local
 * hub, with the SDKs as npm installs them. Skipped without Node.js as {@link NodeArticleTest} is.
 */
@ExtendWith(HubUnderTest.class)
class NodeMethodsTest {
    private static NodeToolchain node;
    private static Path work;

    @BeforeAll
    static void findNodeAndPackages() {
        node = NodeScripts.toolchainOrSkip();
        work = NodeScripts.work();
        NodeScripts.requireInstalledPackages(work);
    }

    @Test
    void a_node_service_calls_a_method_a_node_device_answers_and_gets_404103_once_it_is_gone(TestHub testHub)
            throws Exception {
        LocalHub hub = testHub.embedded().orElse(null);
        Assumptions.assumeTrue(hub != null, "runs against the embedded local hub only");
        String deviceId = "node-methods-" + UUID.randomUUID();
        RegistryClient registry = new RegistryClient(testHub.target().registryConnectionString(),
                testHub.target().registryClientOptions());
        registry.addDevice(new Device(deviceId));
        try {
            String output = NodeScripts.runAgainst(hub, node, work, "methods.js", Map.of(
                    "METHOD_DEVICE_ID", deviceId, "METHOD_DEVICE_CONNECTION_STRING", hub.deviceConnectionString(deviceId)));

            Map<String, String> steps = NodeScripts.steps(output);
            assertThat(steps.get("invoke")).as(output)
                    .isEqualTo("200 {\"echo\":{\"n\":1.5,\"list\":[true,null]},\"method\":\"echo\"}");
            assertThat(steps.get("offline")).as(output).isEqualTo("error 404 404103");
        } finally {
            registry.removeDevice(deviceId);
        }
    }
}
