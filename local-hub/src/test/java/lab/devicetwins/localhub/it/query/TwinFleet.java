package lab.devicetwins.localhub.it.query;

import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import lab.devicetwins.localhub.sdk.OfficialSdks;

/**
 * Devices for query tests, made the way an application makes them: identities and tags through the service SDK,
 * reported properties through a device client over MQTT. Nothing is written to the hub's tables directly.
 */
final class TwinFleet {
    private final OfficialSdks sdks;
    private final RegistryClient registry;
    private final TwinClient twins;

    TwinFleet(OfficialSdks sdks) {
        this.sdks = sdks;
        this.registry = sdks.registry();
        this.twins = sdks.twins();
    }

    void add(String deviceId) throws IOException, IotHubException {
        registry.addDevice(new Device(deviceId));
    }

    void remove(String deviceId) throws IOException, IotHubException {
        registry.removeDevice(deviceId);
    }

    /** Merges the tags into the device's twin ({@code TwinClient.patch}); a null value removes a tag. */
    void tag(String deviceId, Map<String, ?> tags) throws IOException, IotHubException {
        Twin twin = new Twin(deviceId);
        tags.forEach(twin.getTags()::put);
        twins.patch(twin);
    }

    void desire(String deviceId, Map<String, ?> desired) throws IOException, IotHubException {
        Twin twin = new Twin(deviceId);
        desired.forEach(twin.getDesiredProperties()::put);
        twins.patch(twin);
    }

    /**
     * Connects as the device over MQTT and reports the properties. The hub's answer is not awaited on the device side
     * (iot-device-client 2.5.0 sometimes loses it, see the contract's open issues); instead the service side is polled
     * until the reported version moved, which is what the queries depend on.
     */
    void report(String deviceId, Map<String, ?> reported) throws Exception {
        int before = twins.get(deviceId).getReportedProperties().getVersion();
        DeviceClient device = sdks.device(deviceId);
        device.open(false);
        try {
            device.subscribeToDesiredProperties((twin, context) -> { }, null);
            TwinCollection patch = new TwinCollection();
            reported.forEach(patch::put);
            device.updateReportedPropertiesAsync(patch, (status, response, error, context) -> { }, null);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> twins.get(deviceId).getReportedProperties().getVersion() > before);
        } finally {
            device.close();
        }
    }
}
