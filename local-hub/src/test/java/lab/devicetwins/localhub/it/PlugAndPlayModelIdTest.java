package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An IoT Plug and Play device announces its model id when it connects ({@code ClientOptions.modelId}, sent as
 * {@code model-id} in the MQTT user name); IoT Hub shows it as the twin's {@code modelId}.
 */
class PlugAndPlayModelIdTest {
    private static final String THERMOSTAT = "dtmi:com:example:Thermostat;1";

    @TempDir
    Path data;

    private LocalHub start() {
        return LocalHub.builder().dataDirectory(data).httpsPort(0).start();
    }

    @Test
    void the_model_id_a_device_connects_with_becomes_its_twins_model_id_and_stays() throws Exception {
        try (LocalHub hub = start()) {
            OfficialSdks sdks = new OfficialSdks(hub);
            sdks.registry().addDevice(new Device("thermostat-1"));
            sdks.registry().addDevice(new Device("plain-1"));
            assertThat(sdks.twins().get("thermostat-1").getModelId()).as("before it connects").isEmpty();

            DeviceClient thermostat = sdks.deviceWithConnectionString(hub.deviceConnectionString("thermostat-1"),
                    ClientOptions.builder().modelId(THERMOSTAT));
            thermostat.open(false);
            DeviceClient plain = sdks.deviceWithConnectionString(hub.deviceConnectionString("plain-1"));
            plain.open(false);

            assertThat(sdks.twins().get("thermostat-1").getModelId()).isEqualTo(THERMOSTAT);
            assertThat(sdks.twins().get("plain-1").getModelId()).isEmpty();
            assertThat(deviceIds(sdks, "SELECT * FROM devices WHERE modelId = '" + THERMOSTAT + "'"))
                    .containsExactly("thermostat-1");
            thermostat.close();
            plain.close();

            // a later connection without a model id leaves the announced one in place
            DeviceClient again = sdks.deviceWithConnectionString(hub.deviceConnectionString("thermostat-1"));
            again.open(false);
            again.close();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    "Disconnected".equalsIgnoreCase(String.valueOf(sdks.twins().get("thermostat-1").getConnectionState())));
            assertThat(sdks.twins().get("thermostat-1").getModelId()).isEqualTo(THERMOSTAT);
        }
        try (LocalHub hub = start()) {
            assertThat(new OfficialSdks(hub).twins().get("thermostat-1").getModelId()).as("after a restart")
                    .isEqualTo(THERMOSTAT);
        }
    }

    private static List<String> deviceIds(OfficialSdks sdks, String query) throws Exception {
        TwinQueryResponse response = sdks.queries().queryTwins(query);
        List<String> ids = new ArrayList<>();
        while (response.hasNext()) {
            ids.add(response.next().getDeviceId());
        }
        return ids;
    }
}
