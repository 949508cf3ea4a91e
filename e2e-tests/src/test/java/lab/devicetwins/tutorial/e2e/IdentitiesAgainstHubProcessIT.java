package lab.devicetwins.tutorial.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.auth.AuthenticationType;
import com.microsoft.azure.sdk.iot.service.auth.IotHubConnectionString;
import com.microsoft.azure.sdk.iot.service.auth.IotHubConnectionStringBuilder;
import com.microsoft.azure.sdk.iot.service.auth.IotHubServiceSasToken;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.transport.http.HttpMethod;
import com.microsoft.azure.sdk.iot.service.transport.http.HttpRequest;
import com.microsoft.azure.sdk.iot.service.transport.http.HttpResponse;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.net.Proxy;
import java.net.URL;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import lab.devicetwins.localhub.tls.DevelopmentCaTrust;
import lab.devicetwins.localhub.tls.DeviceCertificate;
import lab.devicetwins.tutorial.shared.TargetHub;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What other people's IoT Hub test suites do at set-up, tried against {@code local-hub.jar} started as a learner starts
 * it and reached only through its hub.env: 100 devices and 20 modules created through the bulk registry (posted with
 * the service SDK's own HTTP request class, as the SDK's end-to-end helpers post it), module clients connecting with
 * their device's key, desired and reported properties on module twins, queries over {@code devices.modules}, and a
 * certificate-authenticated device whose certificate the hub's {@code device-cert} command wrote.
 */
@ExtendWith(SeparateHubProcess.class)
class IdentitiesAgainstHubProcessIT {
    private static final Gson GSON = new Gson();

    @Test
    void a_hundred_devices_and_twenty_modules_set_up_in_bulk_then_module_clients_and_module_queries(TestHub hub)
            throws Exception {
        TargetHub target = hub.target();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> devices = new ArrayList<>();
        List<Map<String, Object>> deviceItems = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String id = "bulk-" + run + "-" + i;
            devices.add(id);
            deviceItems.add(item(id, null, "create"));
        }
        List<Map<String, Object>> moduleItems = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> module = item(devices.get(i % 5), "module-" + i, "create");
            module.put("tags", Map.of("run", run, "slot", i));
            moduleItems.add(module);
        }

        assertThat(bulk(target, deviceItems).getStatus()).isEqualTo(200);
        assertThat(bulk(target, moduleItems).getStatus()).isEqualTo(200);

        RegistryClient registry = new RegistryClient(target.registryConnectionString(), target.registryClientOptions());
        TwinClient twins = new TwinClient(target.registryConnectionString(), target.twinClientOptions());
        QueryClient queries = new QueryClient(target.registryConnectionString(), target.queryClientOptions());
        try {
            assertThat(registry.getModulesOnDevice(devices.get(0))).hasSize(4);
            assertThat(registry.getModulesOnDevice(devices.get(5))).isEmpty();
            assertThat(moduleKeys(queries, "SELECT * FROM devices.modules WHERE tags.run = '" + run + "'")).hasSize(20);

            // module clients signed with the device's key, as the SDKs' e2e connection-string helper builds them
            String deviceKey = registry.getDevice(devices.get(0)).getPrimaryKey();
            List<TwinCollection> desired = new CopyOnWriteArrayList<>();
            ModuleClient module = new ModuleClient(target.deviceConnectionString(devices.get(0), deviceKey)
                    + ";ModuleId=module-0", IotHubClientProtocol.MQTT, target.deviceClientOptions());
            module.open(false);
            try {
                module.subscribeToDesiredProperties((twin, ctx) -> desired.add(twin.getDesiredProperties()), null);
                TwinCollection reported = new TwinCollection();
                reported.put("state", "running-" + run);
                DeviceTwinRequests.updateReportedProperties(module, reported);
                Twin twin = twins.get(devices.get(0), "module-0");
                twin.getDesiredProperties().put("rate", 5);
                twins.patch(twin);

                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !desired.isEmpty());
                assertThat(desired.get(0)).containsEntry("rate", 5L);
                assertThat(moduleKeys(queries, "SELECT * FROM devices.modules WHERE properties.reported.state = "
                        + "'running-" + run + "'")).containsExactly(devices.get(0) + "/module-0");
                assertThat(String.valueOf(twins.get(devices.get(0), "module-0").getConnectionState()))
                        .isEqualToIgnoringCase("Connected");
            } finally {
                module.close();
            }
        } finally {
            List<Map<String, Object>> deletes = new ArrayList<>();
            devices.forEach(id -> deletes.add(item(id, null, "delete")));
            assertThat(bulk(target, deletes).getStatus()).isEqualTo(200);
        }
        assertThat(moduleKeys(queries(target), "SELECT * FROM devices.modules WHERE tags.run = '" + run + "'"))
                .as("deleting the devices deleted their modules").isEmpty();
    }

    @Test
    void a_device_with_a_certificate_from_the_device_cert_command_connects_and_reports(TestHub hub,
            @TempDir Path certificates) throws Exception {
        TargetHub target = hub.target();
        Path dataDirectory = hub.dataDirectory().orElseThrow();
        String deviceId = "x509-" + UUID.randomUUID().toString().substring(0, 8);
        Process command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty(SeparateHubProcess.JAR_PROPERTY), "device-cert", deviceId,
                "--data-dir", dataDirectory.toString(), "--out", certificates.toString())
                .redirectErrorStream(true).start();
        String printed = new String(command.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(command.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(command.exitValue()).as(printed).isZero();
        RegistryClient registry = new RegistryClient(target.registryConnectionString(), target.registryClientOptions());
        registry.addDevice(new Device(deviceId, AuthenticationType.CERTIFICATE_AUTHORITY));
        try {
            DeviceCertificate certificate = DeviceCertificate.readPemFiles(
                    certificates.resolve(deviceId + ".cert.pem"), certificates.resolve(deviceId + ".key.pem"));
            SSLContext tls = certificate.sslContext(DevelopmentCaTrust.fromPem(target.localCaPem().orElseThrow()));
            String host = IotHubConnectionStringBuilder.createIotHubConnectionString(
                    target.registryConnectionString()).getHostName();
            DeviceClient device = new DeviceClient("HostName=" + host + ";DeviceId=" + deviceId + ";x509=true",
                    IotHubClientProtocol.MQTT, ClientOptions.builder().sslContext(tls).build());
            device.open(false);
            try {
                device.subscribeToDesiredProperties((twin, ctx) -> { }, null);
                TwinCollection reported = new TwinCollection();
                reported.put("firmware", "x509-" + deviceId);
                DeviceTwinRequests.updateReportedProperties(device, reported);
                TwinClient twins = new TwinClient(target.registryConnectionString(), target.twinClientOptions());
                Twin twin = twins.get(deviceId);
                assertThat(twin.getReportedProperties().get("firmware")).isEqualTo("x509-" + deviceId);
                assertThat(String.valueOf(twin.getConnectionState())).isEqualToIgnoringCase("Connected");
            } finally {
                device.close();
            }
        } finally {
            registry.removeDevice(deviceId);
        }
    }

    private static QueryClient queries(TargetHub target) {
        return new QueryClient(target.registryConnectionString(), target.queryClientOptions());
    }

    private static Map<String, Object> item(String deviceId, String moduleId, String importMode) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", deviceId);
        if (moduleId != null) {
            item.put("moduleId", moduleId);
        }
        item.put("importMode", importMode);
        return item;
    }

    /** {@code POST /devices/?api-version=…} with a top-level array, through the service SDK's HttpRequest. */
    private static HttpResponse bulk(TargetHub target, List<Map<String, Object>> items) throws Exception {
        IotHubConnectionString connection = IotHubConnectionStringBuilder.createIotHubConnectionString(
                target.registryConnectionString());
        URL url = new URL("https://" + connection.getHostName() + "/devices/?api-version=2021-04-12");
        Proxy proxy = target.httpsProxy().map(address -> new Proxy(Proxy.Type.HTTP, address)).orElse(null);
        HttpRequest request = new HttpRequest(url, HttpMethod.POST, GSON.toJson(items).getBytes(StandardCharsets.UTF_8),
                new IotHubServiceSasToken(connection).toString(), proxy);
        request.setHeaderField("Content-Type", "application/json");
        return request.send();
    }

    private static List<String> moduleKeys(QueryClient queries, String query) throws Exception {
        TwinQueryResponse response = queries.queryTwins(query);
        List<String> keys = new ArrayList<>();
        while (response.hasNext()) {
            Twin twin = response.next();
            keys.add(twin.getDeviceId() + "/" + twin.getModuleId());
        }
        return keys;
    }
}
