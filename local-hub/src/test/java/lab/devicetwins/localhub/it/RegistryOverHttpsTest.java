package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.service.exceptions.ErrorCodeDescription;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubConflictException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceStatus;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.registry.RegistryStatistics;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The service SDK's RegistryClient against the local hub, through its CONNECT proxy. */
class RegistryOverHttpsTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private OfficialSdks sdks;
    private RegistryClient registry;

    @BeforeEach
    void clients() {
        sdks = new OfficialSdks(localHub.hub());
        registry = sdks.registry();
    }

    @Test
    void the_article_device_exists_on_a_new_hub() throws Exception {
        Device device = registry.getDevice("myDeviceId");

        assertThat(device.getDeviceId()).isEqualTo("myDeviceId");
        assertThat(device.getStatus()).isEqualTo(DeviceStatus.Enabled);
        assertThat(device.getPrimaryKey()).isNotBlank();
    }

    @Test
    void a_device_added_with_sdk_generated_keys_can_be_read_updated_and_removed() throws Exception {
        Device added = registry.addDevice(new Device("registry-crud"));
        assertThat(registry.getDevice("registry-crud").getPrimaryKey()).isEqualTo(added.getPrimaryKey());

        added.setStatus(DeviceStatus.Disabled);
        Device updated = registry.updateDevice(added);
        assertThat(updated.getStatus()).isEqualTo(DeviceStatus.Disabled);
        assertThat(updated.getETag()).isNotEqualTo(added.getETag());

        registry.removeDevice("registry-crud");
        IotHubNotFoundException gone = catchThrowableOfType(IotHubNotFoundException.class,
                () -> registry.getDevice("registry-crud"));
        assertThat(gone.getErrorCodeDescription()).isEqualTo(ErrorCodeDescription.DeviceNotFound);
        assertThat(catchThrowableOfType(IotHubNotFoundException.class, () -> sdks.twins().get("registry-crud")))
                .isNotNull();
    }

    @Test
    void adding_a_device_twice_is_a_conflict() throws Exception {
        registry.addDevice(new Device("registry-twice"));

        IotHubConflictException conflict = catchThrowableOfType(IotHubConflictException.class,
                () -> registry.addDevice(new Device("registry-twice")));

        assertThat(conflict.getErrorCodeDescription()).isEqualTo(ErrorCodeDescription.DeviceAlreadyExists);
        registry.removeDevice("registry-twice");
    }

    @Test
    void statistics_count_enabled_and_disabled_devices() throws Exception {
        RegistryStatistics before = registry.getStatistics();
        Device device = registry.addDevice(new Device("registry-stats"));
        device.setStatus(DeviceStatus.Disabled);
        registry.updateDevice(device);

        RegistryStatistics after = registry.getStatistics();

        assertThat(after.getTotalDeviceCount()).isEqualTo(before.getTotalDeviceCount() + 1);
        assertThat(after.getDisabledDeviceCount()).isEqualTo(before.getDisabledDeviceCount() + 1);
        assertThat(after.getEnabledDeviceCount()).isEqualTo(before.getEnabledDeviceCount());
        registry.removeDevice("registry-stats");
    }

    @Test
    void a_disabled_device_cannot_connect() throws Exception {
        Device device = registry.addDevice(new Device("registry-disabled"));
        device.setStatus(DeviceStatus.Disabled);
        registry.updateDevice(device);
        DeviceClient client = sdks.deviceWithConnectionString(localHub.hub().deviceConnectionString("registry-disabled"),
                ClientOptions.builder());

        IotHubClientException refused = catchThrowableOfType(IotHubClientException.class, () -> client.open(false));

        assertThat(refused).isNotNull();
        client.close();
        registry.removeDevice("registry-disabled");
    }

    @Test
    void the_articles_policy_may_read_the_registry_but_not_write_it() throws Exception {
        RegistryClient readOnly = sdks.registry(localHub.hub().serviceConnectionString());

        assertThat(readOnly.getDevice("myDeviceId").getDeviceId()).isEqualTo("myDeviceId");
        IotHubException refused = catchThrowableOfType(IotHubUnauthorizedException.class,
                () -> readOnly.addDevice(new Device("not-allowed")));
        assertThat(refused.getErrorCode()).isEqualTo(401002);
    }
}
