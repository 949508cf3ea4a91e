package lab.devicetwins.tutorial.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.LocalHub;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Node.js SDKs' module calls ({@code src/test/node/modules.js}: the service SDK's {@code Registry} module and
 * module-twin calls, the device SDK's {@code ModuleClient} over MQTT) against the embedded local hub, with the SDKs as
 * npm installs them. Skipped without Node.js as {@link NodeArticleTest} is.
 */
@ExtendWith(HubUnderTest.class)
class NodeModulesTest {
    private static NodeToolchain node;
    private static Path work;

    @BeforeAll
    static void findNodeAndPackages() {
        node = NodeScripts.toolchainOrSkip();
        work = NodeScripts.work();
        NodeScripts.requireInstalledPackages(work);
    }

    @Test
    void a_module_is_registered_reports_hears_desired_and_is_removed_through_the_node_sdks(TestHub testHub)
            throws Exception {
        LocalHub hub = testHub.embedded().orElse(null);
        Assumptions.assumeTrue(hub != null, "runs against the embedded local hub only");
        String deviceId = "node-modules-" + UUID.randomUUID();
        RegistryClient registry = new RegistryClient(testHub.target().registryConnectionString(),
                testHub.target().registryClientOptions());
        registry.addDevice(new Device(deviceId));
        Map<String, String> environment = new HashMap<>();
        environment.put("NODE_EXTRA_CA_CERTS", Files.writeString(work.resolve("localhub-ca.pem"), hub.caPem()).toString());
        environment.put("IOTHUB_CONNECTION_STRING", hub.ownerConnectionString());
        environment.put("HUB_HOST_NAME", hub.hostName());
        environment.put("MODULE_DEVICE_ID", deviceId);
        List<String> preload = new ArrayList<>();
        hub.proxyAddress().ifPresent(proxy -> {
            environment.put(HubEnvFile.PROXY_PORT, Integer.toString(proxy.getPort()));
            preload.addAll(List.of("--require", NodeScripts.sources().resolve("localhub-https.js").toString()));
        });
        try {
            String output = NodeScripts.run(node, work, preload, NodeScripts.copied("modules.js"), environment);

            Map<String, String> steps = new HashMap<>();
            output.lines().filter(line -> line.indexOf(' ') > 0).forEach(line ->
                    steps.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1)));
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
