package lab.devicetwins.tutorial.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;

import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.LocalHub;

/**
 * The Node.js version of the article "Get started with device twins" — its device code and its back-end code in
 * {@code src/test/node}, on the npm packages {@code package-lock.json} pins — run by Node.js against the local hub,
 * with no change to the article's SDK calls: the connection strings go where the article's placeholders are (as a
 * learner pastes them), the hub's CA comes in through {@code NODE_EXTRA_CA_CERTS}, and the back end reaches the
 * hub's HTTPS port through the hub's CONNECT proxy with the {@code localhub-https.js} preload. What the Node code did
 * is then checked through the Java service SDK.
 *
 * <p>Skipped when Node.js is not installed (a learner with only a JDK) or its npm packages could not be installed,
 * except where {@code CI} is set: there it fails. Skipped too against a real hub ({@code IOTHUB_CONNECTION_STRING} set), since the article's code works on
 * the device {@code myDeviceId}, which only the embedded hub is known to hold for this test alone.
 */
@ExtendWith(HubUnderTest.class)
class NodeArticleTest {

    /** Where the article's Node.js sources are (set by e2e-tests/pom.xml). */
    static final String SOURCES_PROPERTY = "node.sources";
    /** Where {@link NodePackages} installed the npm packages (set by e2e-tests/pom.xml). */
    static final String WORK_PROPERTY = "node.work";

    private static final String DEVICE_PLACEHOLDER = "{IoT hub device connection string}";
    private static final String SERVICE_PLACEHOLDER = "{Shared access policy connection string}";
    private static final String BOTH_CONDITIONS =
            "SELECT * FROM devices WHERE tags.location.plant = 'Redmond43' AND properties.reported.connectivity.type = 'cellular'";

    private static NodeToolchain node;
    private static Path sources;
    private static Path work;

    /** Before the hub parameter is resolved: a skip for want of Node.js or its packages should not start a hub. */
    @BeforeAll
    static void findNodeAndPackages() {
        node = NodeScripts.toolchainOrSkip();
        sources = NodeScripts.sources();
        work = NodeScripts.work();
        NodeScripts.requireInstalledPackages(work);
    }

    @Test
    void the_articles_node_device_reports_cellular_and_then_its_back_end_tags_the_device_and_both_queries_find_it(
            TestHub testHub) throws Exception {
        LocalHub hub = testHub.embedded().orElse(null);
        Assumptions.assumeTrue(hub != null, "The Node.js check runs against the embedded local hub only;"
                + " IOTHUB_CONNECTION_STRING names another hub");

        String deviceId = LocalHub.DEFAULT_DEVICE_ID;
        TwinClient twins = new TwinClient(testHub.target().serviceConnectionString(), testHub.target().twinClientOptions());
        Twin before = twins.get(deviceId);
        assertThat(before.getTags()).as("tags before the Node code ran").doesNotContainKey("location");
        assertThat(before.getReportedProperties()).as("reported before the Node code ran").doesNotContainKey("connectivity");

        Map<String, String> environment = new HashMap<>();
        environment.put("NODE_EXTRA_CA_CERTS", NodeScripts.caFile(work, hub).toString());

        String device = NodeScripts.run(node, work, List.of(),
                articleCode(sources, work, "device.js", DEVICE_PLACEHOLDER, hub.deviceConnectionString(deviceId)),
                environment);
        assertThat(device).contains("twin state reported");
        assertThat(twins.get(deviceId).getReportedProperties().get("connectivity"))
                .as("reported connectivity after the Node device code ran")
                .asInstanceOf(MAP).containsEntry("type", "cellular");

        List<String> preload = new ArrayList<>();
        hub.proxyAddress().ifPresent(proxy -> {
            environment.put(HubEnvFile.PROXY_PORT, Integer.toString(proxy.getPort()));
            preload.addAll(List.of("--require", sources.resolve("localhub-https.js").toString()));
        });
        String service = NodeScripts.run(node, work, preload,
                articleCode(sources, work, "service.js", SERVICE_PLACEHOLDER, hub.serviceConnectionString()),
                environment);
        assertThat(service).contains(deviceId + " twin updated successfully");
        assertThat(listedDevices(service, "Devices in Redmond43: ")).as("the back end's output:%n%s", service)
                .contains(deviceId);
        assertThat(listedDevices(service, "Devices in Redmond43 using cellular network: "))
                .as("the back end's output:%n%s", service).contains(deviceId);

        assertThat(twins.get(deviceId).getTags().get("location"))
                .as("tags after the Node back-end code ran")
                .asInstanceOf(MAP).containsEntry("region", "US").containsEntry("plant", "Redmond43");
        QueryClient queries = new QueryClient(testHub.target().serviceConnectionString(), testHub.target().queryClientOptions());
        assertThat(deviceIds(queries.queryTwins(BOTH_CONDITIONS))).contains(deviceId);
    }

    /**
     * The article's file with the connection string where its placeholder is — what a learner does before running
     * it — written next to the installed {@code node_modules} so that {@code require} finds the SDKs.
     */
    private static Path articleCode(Path sources, Path work, String file, String placeholder, String connectionString)
            throws IOException {
        String code = Files.readString(sources.resolve(file), StandardCharsets.UTF_8);
        assertThat(code.split(Pattern.quote(placeholder), -1).length - 1)
                .as("occurrences of the placeholder %s in %s", placeholder, file)
                .isEqualTo(1);
        String literal = connectionString.replace("\\", "\\\\").replace("\"", "\\\"").replace("'", "\\'");
        return Files.writeString(work.resolve(file), code.replace(placeholder, literal), StandardCharsets.UTF_8);
    }

    /** The device ids the article's code printed after {@code prefix} (it joins them with commas). */
    private static List<String> listedDevices(String output, String prefix) {
        List<String> lines = output.lines().filter(line -> line.startsWith(prefix)).toList();
        assertThat(lines).as("lines starting with '%s' in:%n%s", prefix, output).hasSize(1);
        return Arrays.asList(lines.get(0).substring(prefix.length()).split(","));
    }

    private static List<String> deviceIds(TwinQueryResponse response) throws IotHubException, IOException {
        List<String> ids = new ArrayList<>();
        while (response.hasNext()) {
            ids.add(response.next().getDeviceId());
        }
        return ids;
    }
}
