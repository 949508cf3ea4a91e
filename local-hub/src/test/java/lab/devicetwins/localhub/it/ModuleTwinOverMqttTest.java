package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.Module;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module clients over MQTT through the device SDK's unmodified {@code ModuleClient}: client id {@code {d}/{m}}, the
 * twin topics a device uses, told apart by the connection's identity; tokens signed with the module's or its device's
 * key; connection state and model id per module.
 */
class ModuleTwinOverMqttTest {
    @TempDir
    Path data;

    private LocalHub hub;
    private OfficialSdks sdks;
    private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        hub = LocalHub.builder().dataDirectory(data).httpsPort(0).start();
        sdks = new OfficialSdks(hub);
        sdks.registry().addDevice(new Device("edge-1"));
        sdks.registry().addModule(new Module("edge-1", "filter"));
        sdks.registry().addModule(new Module("edge-1", "logger"));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        hub.close();
    }

    private ModuleClient module(String moduleId) {
        return module(hub.moduleConnectionString("edge-1", moduleId), ClientOptions.builder());
    }

    private ModuleClient module(String connectionString, ClientOptions.ClientOptionsBuilder options) {
        ModuleClient client = sdks.moduleWithConnectionString(connectionString, options);
        clients.add(client::close);
        return client;
    }

    @Test
    void a_module_reports_into_its_own_twin_and_the_device_twin_stays_as_it_was() throws Exception {
        ModuleClient filter = module("filter");
        filter.open(false);
        filter.subscribeToDesiredProperties((twin, ctx) -> { }, null);
        TwinCollection reported = new TwinCollection();
        reported.put("pipeline", "ready");

        int version = DeviceTwinRequests.updateReportedProperties(filter, reported);

        assertThat(version).isEqualTo(2);
        assertThat(DeviceTwinRequests.getTwin(filter).getReportedProperties()).containsEntry("pipeline", "ready");
        Twin moduleTwin = sdks.twins().get("edge-1", "filter");
        assertThat(moduleTwin.getReportedProperties()).containsKey("pipeline");
        assertThat(String.valueOf(moduleTwin.getConnectionState())).isEqualToIgnoringCase("Connected");
        Twin deviceTwin = sdks.twins().get("edge-1");
        assertThat(deviceTwin.getReportedProperties()).doesNotContainKey("pipeline");
        assertThat(String.valueOf(deviceTwin.getConnectionState())).as("the device itself is not connected")
                .isEqualToIgnoringCase("Disconnected");
        assertThat(sdks.twins().get("edge-1", "logger").getReportedProperties()).isEmpty();
    }

    @Test
    void a_desired_change_reaches_only_the_module_it_was_made_for() throws Exception {
        List<TwinCollection> atFilter = new CopyOnWriteArrayList<>();
        List<TwinCollection> atLogger = new CopyOnWriteArrayList<>();
        List<TwinCollection> atDevice = new CopyOnWriteArrayList<>();
        ModuleClient filter = module("filter");
        ModuleClient logger = module("logger");
        DeviceClient device = sdks.device("edge-1");
        clients.add(device::close);
        filter.open(false);
        logger.open(false);
        device.open(false);
        filter.subscribeToDesiredProperties((twin, ctx) -> atFilter.add(twin.getDesiredProperties()), null);
        logger.subscribeToDesiredProperties((twin, ctx) -> atLogger.add(twin.getDesiredProperties()), null);
        device.subscribeToDesiredProperties((twin, ctx) -> atDevice.add(twin.getDesiredProperties()), null);
        Twin twin = sdks.twins().get("edge-1", "filter");
        twin.getDesiredProperties().put("threshold", 42);

        sdks.twins().patch(twin);

        await().atMost(Duration.ofSeconds(10)).until(() -> !atFilter.isEmpty());
        assertThat(atFilter.get(0)).containsEntry("threshold", 42L);
        assertThat(atFilter.get(0).getVersion()).isEqualTo(2);
        // a marker sent to the device afterwards arrives after anything sent before it on that connection
        Twin deviceTwin = sdks.twins().get("edge-1");
        deviceTwin.getDesiredProperties().put("marker", true);
        sdks.twins().patch(deviceTwin);
        await().atMost(Duration.ofSeconds(10)).until(() -> !atDevice.isEmpty());
        assertThat(atDevice).hasSize(1);
        assertThat(atDevice.get(0)).containsKey("marker").doesNotContainKey("threshold");
        assertThat(atLogger).isEmpty();
    }

    @Test
    void a_module_may_sign_its_token_with_its_device_key_as_the_sdk_tests_do() throws Exception {
        String deviceKey = sdks.registry().getDevice("edge-1").getPrimaryKey();
        String connectionString = "HostName=" + hub.hostName() + ";DeviceId=edge-1;ModuleId=filter;SharedAccessKey="
                + deviceKey;
        ModuleClient filter = module(connectionString, ClientOptions.builder());

        filter.open(false);

        assertThat(String.valueOf(sdks.twins().get("edge-1", "filter").getConnectionState()))
                .isEqualToIgnoringCase("Connected");
    }

    @Test
    void a_token_signed_with_another_devices_or_modules_key_is_refused() throws Exception {
        sdks.registry().addDevice(new Device("other"));
        String otherKey = sdks.registry().getDevice("other").getPrimaryKey();
        String loggerKey = sdks.registry().getModule("edge-1", "logger").getPrimaryKey();

        for (String key : List.of(otherKey, loggerKey)) {
            ModuleClient filter = module("HostName=" + hub.hostName() + ";DeviceId=edge-1;ModuleId=filter;"
                    + "SharedAccessKey=" + key, ClientOptions.builder());
            assertThatThrownBy(() -> filter.open(false)).isInstanceOf(IotHubClientException.class);
        }
        assertThat(String.valueOf(sdks.twins().get("edge-1", "filter").getConnectionState()))
                .isEqualToIgnoringCase("Disconnected");
    }

    @Test
    void the_model_id_a_module_connects_with_becomes_its_module_twins_model_id() throws Exception {
        ModuleClient filter = module(hub.moduleConnectionString("edge-1", "filter"),
                ClientOptions.builder().modelId("dtmi:com:test:e2e;1"));

        filter.open(false);

        assertThat(sdks.twins().get("edge-1", "filter").getModelId()).isEqualTo("dtmi:com:test:e2e;1");
        assertThat(sdks.twins().get("edge-1").getModelId()).isEmpty();
        assertThat(sdks.twins().get("edge-1", "logger").getModelId()).isEmpty();
    }

    @Test
    void a_module_is_disconnected_when_its_device_is_deleted_and_cannot_connect_again() throws Exception {
        ModuleClient filter = module("filter");
        List<IotHubConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        filter.setConnectionStatusChangeCallback(change -> statuses.add(change.getNewStatus()), null);
        String connectionString = hub.moduleConnectionString("edge-1", "filter");
        filter.open(false);

        sdks.registry().removeDevice("edge-1");

        await().atMost(Duration.ofSeconds(10)).until(() -> !statuses.isEmpty()
                && statuses.get(statuses.size() - 1) != IotHubConnectionStatus.CONNECTED);
        ModuleClient again = module(connectionString, ClientOptions.builder());
        assertThatThrownBy(() -> again.open(false)).isInstanceOf(IotHubClientException.class);
    }
}
