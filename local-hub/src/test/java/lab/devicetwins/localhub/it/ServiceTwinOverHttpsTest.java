package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubBadFormatException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubPreconditionFailedException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.util.Map;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The service SDK's TwinClient against the local hub: read, patch, replace, etags, limits. */
class ServiceTwinOverHttpsTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private OfficialSdks sdks;
    private TwinClient twins;
    private String deviceId;

    @BeforeEach
    void device(TestInfo test) throws Exception {
        sdks = new OfficialSdks(localHub.hub());
        twins = sdks.twins();
        deviceId = "svc-" + Integer.toHexString(test.getDisplayName().hashCode());
        sdks.registry().addDevice(new Device(deviceId));
    }

    @AfterEach
    void remove() throws Exception {
        sdks.registry().removeDevice(deviceId);
    }

    @Test
    void a_new_twin_carries_the_identity_facts_and_version_one_sections() throws Exception {
        Twin twin = twins.get(deviceId);

        assertThat(twin.getDeviceId()).isEqualTo(deviceId);
        assertThat(twin.getETag()).isEqualTo("AAAAAAAAAAE=");
        assertThat(twin.getDesiredProperties().getVersion()).isEqualTo(1);
        assertThat(twin.getReportedProperties().getVersion()).isEqualTo(1);
        assertThat(twin.getConnectionState()).isEqualTo("DISCONNECTED");
    }

    @Test
    void patching_tags_and_desired_merges_them_and_bumps_versions() throws Exception {
        Twin twin = twins.get(deviceId);
        twin.getTags().put("location", Map.of("region", "US", "plant", "Redmond43"));
        twin.getDesiredProperties().put("telemetryInterval", 30);

        Twin patched = twins.patch(twin);

        assertThat(patched.getTags().get("location")).isInstanceOf(Map.class);
        assertThat(patched.getDesiredProperties().get("telemetryInterval")).isEqualTo(30L);
        assertThat(patched.getDesiredProperties().getVersion()).isEqualTo(2);
        assertThat(patched.getVersion()).isEqualTo(2);
        assertThat(patched.getETag()).isNotEqualTo(twin.getETag());
        assertThat(patched.getDesiredProperties().getTwinMetadata("telemetryInterval").getLastUpdatedVersion()).isEqualTo(2);
    }

    @Test
    void a_null_in_a_patch_removes_the_property() throws Exception {
        Twin twin = twins.get(deviceId);
        twin.getDesiredProperties().put("a", 1);
        twin.getDesiredProperties().put("b", 2);
        twins.patch(twin);
        Twin removal = twins.get(deviceId);
        removal.getDesiredProperties().clear();
        removal.getDesiredProperties().put("a", null);

        Twin after = twins.patch(removal);

        assertThat(after.getDesiredProperties()).doesNotContainKey("a").containsKey("b");
    }

    @Test
    void replace_sets_exactly_the_given_tags_and_desired_properties() throws Exception {
        Twin twin = twins.get(deviceId);
        twin.getTags().put("old", "x");
        twin.getDesiredProperties().put("old", 1);
        twins.patch(twin);
        Twin replacement = new Twin(deviceId);
        replacement.getTags().put("new", "y");
        replacement.getDesiredProperties().put("fresh", true);

        Twin after = twins.replace(replacement);

        assertThat(after.getTags()).containsOnlyKeys("new");
        assertThat(after.getDesiredProperties()).containsOnlyKeys("fresh");
    }

    @Test
    void a_stale_etag_is_refused_with_precondition_failed_and_changes_nothing() throws Exception {
        Twin first = twins.get(deviceId);
        first.getTags().put("plant", "Redmond43");
        twins.patch(first, first.getETag());
        Twin stale = twins.get(deviceId);
        stale.getTags().put("plant", "Other");

        assertThat(catchThrowableOfType(IotHubPreconditionFailedException.class,
                () -> twins.patch(stale, first.getETag()))).isNotNull();
        assertThat(twins.get(deviceId).getTags().get("plant")).isEqualTo("Redmond43");
        twins.patch(stale, "*");
        assertThat(twins.get(deviceId).getTags().get("plant")).isEqualTo("Other");
    }

    @Test
    void a_forbidden_key_is_a_bad_request_and_changes_nothing() throws Exception {
        Twin before = twins.get(deviceId);
        Twin bad = twins.get(deviceId);
        bad.getDesiredProperties().put("has space", 1);

        IotHubBadFormatException error = catchThrowableOfType(IotHubBadFormatException.class, () -> twins.patch(bad));

        assertThat(error.getErrorCode()).isEqualTo(400004);
        assertThat(error.getMessage()).contains("has space");
        assertThat(twins.get(deviceId).getETag()).isEqualTo(before.getETag());
    }

    @Test
    void a_desired_section_over_32_kb_is_refused() throws Exception {
        Twin big = twins.get(deviceId);
        for (int i = 0; i < 10; i++) {
            big.getDesiredProperties().put("p" + i, "x".repeat(3500));
        }

        IotHubBadFormatException error = catchThrowableOfType(IotHubBadFormatException.class, () -> twins.patch(big));

        assertThat(error.getMessage()).contains("32768");
        assertThat(twins.get(deviceId).getDesiredProperties()).isEmpty();
    }

    @Test
    void an_unknown_device_has_no_twin() {
        IotHubNotFoundException error = catchThrowableOfType(IotHubNotFoundException.class, () -> twins.get("nobody"));

        assertThat(error.getErrorCode()).isEqualTo(404001);
    }

    @Test
    void a_registry_read_only_policy_may_not_read_twins() {
        TwinClient readOnly = sdks.twins(localHub.hub().policyConnectionString("registryRead"));

        IotHubUnauthorizedException error = catchThrowableOfType(IotHubUnauthorizedException.class,
                () -> readOnly.get(deviceId));

        assertThat(error.getErrorCode()).isEqualTo(401002);
    }
}
