package lab.devicetwins.tutorial.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import java.util.Map;
import java.util.UUID;
import lab.devicetwins.localhub.LocalHub;
import org.junit.jupiter.api.Test;

/**
 * Direct methods through the Node.js SDKs ({@code src/test/node/methods.js}: the service SDK's
 * {@code Client.invokeDeviceMethod}, the device SDK's {@code onDeviceMethod} over MQTT) against the embedded local
 * hub, with the SDKs as npm installs them. Skipped without Node.js as {@link NodeArticleTest} is.
 */
class NodeMethodsTest extends NodeSdkTest {
    @Test
    void a_node_service_calls_a_method_a_node_device_answers_and_gets_404103_once_it_is_gone(TestHub testHub)
            throws Exception {
        LocalHub hub = embeddedHub(testHub);
        String deviceId = "node-methods-" + UUID.randomUUID();
        RegistryClient registry = new RegistryClient(testHub.target().registryConnectionString(),
                testHub.target().registryClientOptions());
        registry.addDevice(new Device(deviceId));
        try {
            String output = run(hub, "methods.js", Map.of(
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
