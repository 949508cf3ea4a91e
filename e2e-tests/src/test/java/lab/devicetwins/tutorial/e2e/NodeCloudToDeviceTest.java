package lab.devicetwins.tutorial.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.messaging.CloudToDeviceRequest;
import org.junit.jupiter.api.Test;

/**
 * A cloud-to-device message through the Node.js device SDK ({@code src/test/node/c2d.js}): queued with the local hub's
 * own API, taken over MQTT with the properties the Node SDK parses from the topic, and completed, which empties the
 * queue. Skipped without Node.js as {@link NodeArticleTest} is; embedded local hub only.
 */
class NodeCloudToDeviceTest extends NodeSdkTest {
    @Test
    void a_node_device_takes_a_queued_message_with_its_properties_and_completes_it(TestHub testHub) throws Exception {
        LocalHub hub = embeddedHub(testHub);
        String deviceId = "node-c2d-" + UUID.randomUUID();
        RegistryClient registry = new RegistryClient(testHub.target().registryConnectionString(),
                testHub.target().registryClientOptions());
        registry.addDevice(new Device(deviceId));
        try {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("priority", "high");
            properties.put("note", "a+b = c & d");
            hub.sendCloudToDeviceMessage(deviceId, new CloudToDeviceRequest("fan on".getBytes(StandardCharsets.UTF_8),
                    "m-7", "c 7", "text/plain", null, null, properties, null));

            String output = run(hub, "c2d.js",
                    Map.of("C2D_DEVICE_CONNECTION_STRING", hub.deviceConnectionString(deviceId)));

            Map<String, String> steps = NodeScripts.steps(output);
            // the Node SDK knows only the $.-properties as system properties: iothub-ack comes as an application one
            assertThat(JsonParser.parseString(steps.get("message"))).as(output).isEqualTo(JsonParser.parseString(
                    "{\"body\":\"fan on\",\"messageId\":\"m-7\",\"correlationId\":\"c 7\",\"contentType\":\"text/plain\","
                            + "\"properties\":{\"iothub-ack\":\"none\",\"priority\":\"high\",\"note\":\"a+b = c & d\"}}"));
            assertThat(steps.get("completed")).as(output).isEqualTo("ok");
            assertThat(hub.queuedCloudToDeviceMessages(deviceId)).isZero();
        } finally {
            registry.removeDevice(deviceId);
        }
    }
}
