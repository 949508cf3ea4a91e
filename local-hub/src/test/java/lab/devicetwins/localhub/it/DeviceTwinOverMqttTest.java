package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The device SDK (MQTT) against the local hub: get the twin, report, receive desired properties. */
class DeviceTwinOverMqttTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private OfficialSdks sdks;
    private String deviceId;
    private DeviceClient device;

    @BeforeEach
    void registerDevice(TestInfo test) throws Exception {
        LocalHub hub = localHub.hub();
        sdks = new OfficialSdks(hub);
        deviceId = "mqtt-" + test.getTestMethod().orElseThrow().getName().hashCode();
        sdks.registry().addDevice(new Device(deviceId));
        device = sdks.device(deviceId);
        device.open(false);
    }

    @AfterEach
    void closeDevice() throws Exception {
        device.close();
        sdks.registry().removeDevice(deviceId);
    }

    @Test
    void a_new_device_gets_an_empty_twin_with_version_one() throws Exception {
        device.subscribeToDesiredProperties((twin, ctx) -> { }, null);

        Twin twin = DeviceTwinRequests.getTwin(device);

        assertThat(twin.getDesiredProperties()).isEmpty();
        assertThat(twin.getReportedProperties()).isEmpty();
        assertThat(twin.getDesiredProperties().getVersion()).isEqualTo(1);
        assertThat(twin.getReportedProperties().getVersion()).isEqualTo(1);
    }

    @Test
    void reported_properties_are_stored_and_their_version_returned() throws Exception {
        device.subscribeToDesiredProperties((twin, ctx) -> { }, null);
        TwinCollection reported = new TwinCollection();
        reported.put("connectivityType", "cellular");
        reported.put("HomeTemp(F)", 71);

        int version = DeviceTwinRequests.updateReportedProperties(device, reported);

        assertThat(version).isEqualTo(2);
        Twin twin = DeviceTwinRequests.getTwin(device);
        assertThat(twin.getReportedProperties()).containsEntry("connectivityType", "cellular");
        assertThat(twin.getReportedProperties().getVersion()).isEqualTo(2);
        var serviceTwin = sdks.twins().get(deviceId);
        assertThat(serviceTwin.getReportedProperties().get("connectivityType")).isEqualTo("cellular");
    }

    @Test
    void a_reported_update_with_a_stale_version_is_refused_with_precondition_failed() throws Exception {
        device.subscribeToDesiredProperties((twin, ctx) -> { }, null);
        TwinCollection first = new TwinCollection();
        first.put("a", 1);
        DeviceTwinRequests.updateReportedProperties(device, first);
        TwinCollection stale = new TwinCollection();
        stale.put("a", 2);
        stale.setVersion(1);

        IotHubClientException error = catchThrowableOfType(IotHubClientException.class,
                () -> DeviceTwinRequests.updateReportedProperties(device, stale));

        assertThat(error.getStatusCode()).isEqualTo(IotHubStatusCode.PRECONDITION_FAILED);
        assertThat(DeviceTwinRequests.getTwin(device).getReportedProperties()).containsEntry("a", 1L);
    }

    @Test
    void a_desired_change_from_the_service_reaches_the_device_with_its_version() throws Exception {
        List<TwinCollection> received = new CopyOnWriteArrayList<>();
        device.subscribeToDesiredProperties((twin, ctx) -> received.add(twin.getDesiredProperties()), null);
        TwinClient twins = sdks.twins();
        var twin = twins.get(deviceId);
        twin.getDesiredProperties().put("telemetryInterval", 30);

        twins.patch(twin);

        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        assertThat(received.get(0)).containsEntry("telemetryInterval", 30L);
        assertThat(received.get(0).getVersion()).isEqualTo(2);
    }

    @Test
    void a_tag_only_change_sends_the_device_nothing() throws Exception {
        List<TwinCollection> received = new CopyOnWriteArrayList<>();
        device.subscribeToDesiredProperties((twin, ctx) -> received.add(twin.getDesiredProperties()), null);
        TwinClient twins = sdks.twins();
        var twin = twins.get(deviceId);
        twin.getTags().put("plant", "Redmond43");
        twins.patch(twin);
        var desired = twins.get(deviceId);
        desired.getDesiredProperties().put("marker", true);

        twins.patch(desired);

        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        assertThat(received).hasSize(1);
        assertThat(received.get(0)).containsKey("marker").doesNotContainKey("plant");
    }
}
