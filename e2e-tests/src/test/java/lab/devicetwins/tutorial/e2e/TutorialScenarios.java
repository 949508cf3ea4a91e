package lab.devicetwins.tutorial.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;

import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.tutorial.e2e.TestHub.TestDevice;
import lab.devicetwins.tutorial.query.QueryApp;
import lab.devicetwins.tutorial.service.ServiceApp;
import lab.devicetwins.tutorial.service.exercises.OptimisticTwinUpdate;

/**
 * The three tutorial apps together, through the official SDKs, against the hub a subclass provides (a JUnit
 * extension that resolves {@link TestHub} parameters).
 */
abstract class TutorialScenarios {

    /**
     * Generous: iot-device-client 2.5.0 sometimes loses the answer to a twin request (Azure/azure-iot-sdk-java#1803),
     * and the device app then waits out its per-attempt timeout before asking again.
     */
    private static final Duration DEVICE_REACTION = Duration.ofSeconds(90);

    /** The protocol the device app speaks; the WebSockets run overrides it. */
    IotHubClientProtocol deviceProtocol() {
        return IotHubClientProtocol.MQTT;
    }

    /** The device app of step 1 for {@code device}, running on its own thread, as in its own terminal. */
    private RunningDeviceApp deviceApp(TestDevice device, String connectivityType) {
        return new RunningDeviceApp(device.connectionString(), deviceProtocol(),
                hub.target().deviceClientOptions(deviceProtocol()), connectivityType);
    }

    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    private TestHub hub;
    private TwinClient twins;

    @BeforeEach
    void connect(TestHub hub) {
        this.hub = hub;
        twins = new TwinClient(hub.target().serviceConnectionString(), hub.target().twinClientOptions());
    }

    @Test
    void the_service_tags_the_device_the_device_applies_the_desired_interval_and_both_queries_find_it(TestHub hub)
            throws Exception {
        TestDevice device = hub.createDevice("flow");
        try (RunningDeviceApp deviceApp = deviceApp(device, "cellular")) {
            awaitReported(device.id(), "connectivityType", "cellular");

            Twin afterService = serviceApp().run(device.id(), 7);

            assertThat(afterService.getTags()).containsEntry("region", "US").containsEntry("plant", "Redmond43");
            assertThat(number(afterService.getDesiredProperties().get("telemetryInterval"))).isEqualTo(7);
            awaitInterval(deviceApp, 7);
            awaitReportedNumber(device.id(), "telemetryInterval", 7);
            assertThat(deviceApp.output()).contains("Applied telemetryInterval = 7 s");
            assertThat(deviceApp.failure()).isNull();

            hub.queryPolling().until(() -> {
                QueryApp.Result result = queryApp().run();
                assertThat(result.inRedmond43()).contains(device.id());
                assertThat(result.inRedmond43OnCellular()).contains(device.id());
            });
        }
    }

    @Test
    void a_device_that_was_offline_while_the_desired_interval_changed_catches_up_when_it_connects_again(TestHub hub)
            throws Exception {
        TestDevice device = hub.createDevice("offline");
        try (RunningDeviceApp firstRun = deviceApp(device, "cellular")) {
            awaitReported(device.id(), "connectivityType", "cellular");
            assertThat(firstRun.app().telemetryIntervalSeconds()).isNotEqualTo(11);
        }

        serviceApp().setDesiredTelemetryInterval(device.id(), 11);

        try (RunningDeviceApp secondRun = deviceApp(device, "cellular")) {
            awaitInterval(secondRun, 11);
            awaitReportedNumber(device.id(), "telemetryInterval", 11);
            assertThat(secondRun.failure()).isNull();
        }
    }

    @Test
    void a_running_device_app_that_loses_its_connection_catches_up_on_the_desired_change_it_missed(TestHub hub)
            throws Exception {
        // Only a hub in this JVM can be told to drop a connection; a hub process or a real hub cannot.
        LocalHub embedded = hub.embedded().orElse(null);
        assumeThat(embedded).as("a hub running in the test JVM, which can drop a device's connection").isNotNull();
        TestDevice device = hub.createDevice("reconnect");
        try (RunningDeviceApp deviceApp = deviceApp(device, "cellular")) {
            awaitReported(device.id(), "connectivityType", "cellular");
            assertThat(deviceApp.app().telemetryIntervalSeconds()).isNotEqualTo(13);
            Twin patch = new Twin(device.id());
            patch.getDesiredProperties().put("telemetryInterval", 13);

            // The SDK retries at once, so the change goes out right behind the drop, through a service client
            // already connected (awaitReported used it): the hub has no connection to notify, and the device's
            // next twin read, after it reconnects, is the only way it can learn of the change.
            embedded.dropConnection(device.id());
            twins.patch(patch);

            awaitInterval(deviceApp, 13);
            awaitReportedNumber(device.id(), "telemetryInterval", 13);
            assertThat(deviceApp.output())
                    .contains("Connection status: DISCONNECTED_RETRYING")
                    .contains("Reconnected: desired properties moved from $version");
            assertThat(deviceApp.failure()).isNull();
        }
    }

    @Test
    void a_device_on_wifi_is_in_the_plant_but_not_among_the_cellular_devices(TestHub hub) throws Exception {
        TestDevice cellular = hub.createDevice("cellular");
        TestDevice wifi = hub.createDevice("wifi");
        try (RunningDeviceApp onCellular = deviceApp(cellular, "cellular");
             RunningDeviceApp onWifi = deviceApp(wifi, "wifi")) {
            awaitReported(cellular.id(), "connectivityType", "cellular");
            awaitReported(wifi.id(), "connectivityType", "wifi");
            // A back end that may race another one tags with If-Match on the etag it read (exercise ex-02-1).
            OptimisticTwinUpdate tagging = new OptimisticTwinUpdate(twins);
            for (TestDevice device : List.of(cellular, wifi)) {
                tagging.update(device.id(), read -> {
                    Twin patch = new Twin(read.getDeviceId());
                    patch.getTags().put("region", ServiceApp.REGION);
                    patch.getTags().put("plant", ServiceApp.PLANT);
                    return patch;
                });
            }

            hub.queryPolling().until(() -> {
                QueryApp.Result result = queryApp().run();
                assertThat(result.inRedmond43()).contains(cellular.id(), wifi.id());
                assertThat(result.inRedmond43OnCellular()).contains(cellular.id()).doesNotContain(wifi.id());
            });
            assertThat(onCellular.failure()).isNull();
            assertThat(onWifi.failure()).isNull();
        }
    }

    @Test
    void a_query_with_more_matches_than_its_page_size_returns_each_device_once(TestHub hub) throws Exception {
        List<String> tagged = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            TestDevice device = hub.createDevice("page" + i);
            serviceApp().updateTags(device.id());
            tagged.add(device.id());
        }

        hub.queryPolling().until(() -> {
            List<String> ids = queryApp().deviceIds(QueryApp.IN_REDMOND43, 3);
            assertThat(ids).containsAll(tagged).doesNotHaveDuplicates();
        });
    }

    @Test
    void a_device_connection_string_with_a_wrong_key_fails_at_once_with_unauthorized(TestHub hub) throws Exception {
        TestDevice device = hub.createDevice("wrongkey");
        String wrongKey = device.connectionString().replaceAll("SharedAccessKey=.*", "SharedAccessKey=d3Jvbmcga2V5IGZvciB0ZXN0cw==");

        try (ResilientDeviceApp app = new ResilientDeviceApp(wrongKey, hub.target().deviceClientOptions(), "cellular", quiet)) {
            assertThatThrownBy(() -> app.run(Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(IotHubClientException.class,
                            e -> assertThat(e.getStatusCode()).isEqualTo(IotHubStatusCode.UNAUTHORIZED));
        }
    }

    @Test
    void a_service_connection_string_with_a_wrong_key_is_refused_as_unauthorized(TestHub hub) throws Exception {
        TestDevice device = hub.createDevice("wrongpolicy");
        String wrongKey = hub.target().serviceConnectionString()
                .replaceAll("SharedAccessKey=[^;]*", "SharedAccessKey=d3Jvbmcga2V5IGZvciB0ZXN0cw==");

        ServiceApp app = new ServiceApp(wrongKey, hub.target().twinClientOptions(), quiet);

        assertThatThrownBy(() -> app.run(device.id(), 5)).isInstanceOf(IotHubUnauthorizedException.class);
    }

    private ServiceApp serviceApp() {
        return new ServiceApp(hub.target().serviceConnectionString(), hub.target().twinClientOptions(), quiet);
    }

    private QueryApp queryApp() {
        return new QueryApp(hub.target().serviceConnectionString(), hub.target().queryClientOptions(), quiet);
    }

    /** Waits for the device app to apply an interval; on timeout the message carries what the app printed. */
    private void awaitInterval(RunningDeviceApp deviceApp, int seconds) throws Exception {
        hub.twinPolling(DEVICE_REACTION).until(() -> assertThat(deviceApp.app().telemetryIntervalSeconds())
                .as(() -> "telemetryInterval applied by the device app; it printed:\n" + deviceApp.output()
                        + "\nand failed with: " + deviceApp.failure())
                .isEqualTo(seconds));
    }

    private void awaitReported(String deviceId, String key, String value) throws Exception {
        hub.twinPolling(DEVICE_REACTION).until(() ->
                assertThat(twins.get(deviceId).getReportedProperties().get(key)).isEqualTo(value));
    }

    private void awaitReportedNumber(String deviceId, String key, int value) throws Exception {
        hub.twinPolling(DEVICE_REACTION).until(() ->
                assertThat(number(twins.get(deviceId).getReportedProperties().get(key))).isEqualTo(value));
    }

    private static Integer number(Object value) {
        return value instanceof Number number ? number.intValue() : null;
    }
}
