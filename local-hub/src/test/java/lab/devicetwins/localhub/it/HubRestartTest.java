package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubPreconditionFailedException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub restarted on the same data directory is the same hub — identities, keys, twins, versions,
 * etags and the MQTT subscriptions of persistent sessions.
 */
class HubRestartTest {

    /** What changes with connections and time rather than with writes. */
    private static final List<String> LIVE_FIELDS = List.of("connectionState", "connectionStateUpdatedTime",
            "lastActivityTime");

    @TempDir
    Path dataDirectory;

    private LocalHub start() {
        return LocalHub.builder().dataDirectory(dataDirectory).httpsPort(0).start();
    }

    @Test
    void identities_keys_twins_versions_and_etags_survive_a_restart() throws Exception {
        JsonObject deviceBefore;
        JsonObject twinBefore;
        try (LocalHub hub = start()) {
            OfficialSdks sdks = new OfficialSdks(hub);
            sdks.registry().addDevice(new Device("restart-keep"));
            TwinClient twins = sdks.twins();
            Twin twin = twins.get("restart-keep");
            twin.getTags().put("location", Map.of("region", "EU"));
            twin.getDesiredProperties().put("interval", 30);
            twins.patch(twin);
            DeviceClient device = sdks.device("restart-keep");
            device.open(false);
            device.subscribeToDesiredProperties((t, ctx) -> { }, null);
            TwinCollection reported = new TwinCollection();
            reported.put("firmware", "1.0.2");
            // the SDK can lose this answer; waiting out its one-minute default would fail the test for nothing
            DeviceTwinRequests.updateReportedProperties(device, reported);
            device.close();
            ServiceRestClient rest = new ServiceRestClient(hub);
            deviceBefore = withoutLiveFields(ServiceRestClient.json(rest.send("GET", "/devices/restart-keep", null)));
            twinBefore = withoutLiveFields(ServiceRestClient.json(rest.send("GET", "/twins/restart-keep", null)));
        }

        try (LocalHub hub = start()) {
            ServiceRestClient rest = new ServiceRestClient(hub);
            JsonObject deviceAfter = ServiceRestClient.json(rest.send("GET", "/devices/restart-keep", null));
            JsonObject twinAfter = ServiceRestClient.json(rest.send("GET", "/twins/restart-keep", null));

            assertThat(withoutLiveFields(deviceAfter)).isEqualTo(deviceBefore);
            assertThat(withoutLiveFields(twinAfter)).isEqualTo(twinBefore);
            assertThat(twinAfter.getAsJsonObject("properties").getAsJsonObject("reported").get("$version").getAsInt())
                    .isEqualTo(2);
            DeviceClient device = new OfficialSdks(hub).device("restart-keep");
            device.open(false);
            device.close();
        }
    }

    @Test
    void a_device_etag_from_before_a_restart_never_matches_a_later_version() throws Exception {
        // a stopped clock makes every start begin its etag sequence at the same point
        Clock stopped = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
        List<String> etagsBefore = new ArrayList<>();
        Device added;
        try (LocalHub hub = LocalHub.builder().dataDirectory(dataDirectory).httpsPort(0).clock(stopped).start()) {
            RegistryClient registry = new OfficialSdks(hub).registry();
            added = registry.addDevice(new Device("restart-etag"));
            etagsBefore.add(added.getETag());
            Device device = registry.getDevice("restart-etag");
            for (int i = 0; i < 3; i++) {
                device = registry.updateDevice(device);
                etagsBefore.add(device.getETag());
            }
        }

        try (LocalHub hub = LocalHub.builder().dataDirectory(dataDirectory).httpsPort(0).clock(stopped).start()) {
            RegistryClient registry = new OfficialSdks(hub).registry();
            Device device = registry.getDevice("restart-etag");
            List<String> etagsAfter = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                device = registry.updateDevice(device);
                etagsAfter.add(device.getETag());
            }

            assertThat(etagsAfter).doesNotContainAnyElementsOf(etagsBefore);
            assertThat(catchThrowableOfType(IotHubPreconditionFailedException.class, () -> registry.removeDevice(added)))
                    .isNotNull();
        }
    }

    @Test
    void a_device_deleted_before_a_restart_is_not_seeded_again() throws Exception {
        try (LocalHub hub = start()) {
            new OfficialSdks(hub).registry().removeDevice(LocalHub.DEFAULT_DEVICE_ID);
        }

        try (LocalHub hub = start()) {
            assertThat(new ServiceRestClient(hub).send("GET", "/devices/" + LocalHub.DEFAULT_DEVICE_ID, null).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void a_device_subscribed_before_a_restart_gets_desired_changes_after_the_sdk_reconnects_by_itself()
            throws Exception {
        List<IotHubConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        List<TwinCollection> received = new CopyOnWriteArrayList<>();
        LocalHub first = start();
        DeviceClient device;
        try {
            OfficialSdks sdks = new OfficialSdks(first);
            sdks.registry().addDevice(new Device("restart-sub"));
            device = sdks.device("restart-sub");
            device.setConnectionStatusChangeCallback(change -> statuses.add(change.getNewStatus()), null);
            device.open(false);
            device.subscribeToDesiredProperties((twin, ctx) -> received.add(twin.getDesiredProperties()), null);
        } finally {
            first.close();
        }
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> statuses.contains(IotHubConnectionStatus.DISCONNECTED_RETRYING));
            try (LocalHub second = start()) {
                // the SDK reconnects with CleanSession 0 and subscribes to nothing but C2D: the hub must remember
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> statuses.get(statuses.size() - 1) == IotHubConnectionStatus.CONNECTED);
                TwinClient twins = new OfficialSdks(second).twins();
                Twin twin = twins.get("restart-sub");
                twin.getDesiredProperties().put("afterRestart", true);

                twins.patch(twin);

                await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
                assertThat(received.get(0)).containsEntry("afterRestart", true);
                assertThat(received.get(0).getVersion()).isEqualTo(2);
            }
        } finally {
            device.close();
        }
    }

    private static JsonObject withoutLiveFields(JsonObject json) {
        JsonObject copy = json.deepCopy();
        LIVE_FIELDS.forEach(copy::remove);
        return copy;
    }
}
