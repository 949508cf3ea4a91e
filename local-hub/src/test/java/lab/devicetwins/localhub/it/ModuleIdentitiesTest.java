package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.service.auth.AuthenticationType;
import com.microsoft.azure.sdk.iot.service.exceptions.ErrorCodeDescription;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubPreconditionFailedException;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.Module;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinCollection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.core.IdentityRegistry;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module identities and module twins through the service SDK's own calls ({@code RegistryClient.addModule} and
 * friends, {@code TwinClient} with a module id, {@code QueryClient} over {@code devices.modules}), in the shapes the
 * SDK's end-to-end tests use them.
 */
class ModuleIdentitiesTest {
    @TempDir
    Path data;

    private LocalHub start() {
        return LocalHub.builder().dataDirectory(data).httpsPort(0).start();
    }

    @Test
    void a_module_is_created_with_keys_listed_updated_and_removed() throws Exception {
        try (LocalHub hub = start()) {
            OfficialSdks sdks = new OfficialSdks(hub);
            sdks.registry().addDevice(new Device("edge-1"));

            Module created = sdks.registry().addModule(new Module("edge-1", "filter"));

            assertThat(created.getId()).isEqualTo("filter");
            assertThat(created.getDeviceId()).isEqualTo("edge-1");
            assertThat(created.getPrimaryKey()).isNotBlank();
            assertThat(created.getSecondaryKey()).isNotBlank().isNotEqualTo(created.getPrimaryKey());
            assertThat(created.getETag()).isNotBlank();
            assertThat(sdks.registry().getModulesOnDevice("edge-1")).extracting(Module::getId).containsExactly("filter");

            Module read = sdks.registry().getModule("edge-1", "filter");
            assertThat(read.getPrimaryKey()).isEqualTo(created.getPrimaryKey());
            read.getSymmetricKey().setPrimaryKey(created.getSecondaryKey());
            read.getSymmetricKey().setSecondaryKey(created.getPrimaryKey());
            Module updated = sdks.registry().updateModule(read);
            assertThat(updated.getPrimaryKey()).isEqualTo(created.getSecondaryKey());
            assertThat(updated.getETag()).isNotEqualTo(created.getETag());

            sdks.registry().removeModule("edge-1", "filter");

            assertThat(sdks.registry().getModulesOnDevice("edge-1")).isEmpty();
            assertThat(errorOf(() -> sdks.registry().getModule("edge-1", "filter")))
                    .isEqualTo(ErrorCodeDescription.ModuleNotFound);
            assertThat(sdks.registry().getDevice("edge-1")).as("the device stays").isNotNull();
        }
    }

    @Test
    void self_signed_module_thumbprints_come_back_exactly_as_stored() throws Exception {
        try (LocalHub hub = start()) {
            OfficialSdks sdks = new OfficialSdks(hub);
            sdks.registry().addDevice(new Device("d1"));
            Module module = new Module("d1", "m1", AuthenticationType.SELF_SIGNED);
            module.setThumbprint("0".repeat(40), "1".repeat(40));

            sdks.registry().addModule(module);
            Module read = sdks.registry().getModule("d1", "m1");
            read.setThumbprint("2".repeat(40), "3".repeat(40));
            sdks.registry().updateModule(read);

            Module updated = sdks.registry().getModule("d1", "m1");
            assertThat(updated.getPrimaryThumbprint()).isEqualTo("2".repeat(40));
            assertThat(updated.getSecondaryThumbprint()).isEqualTo("3".repeat(40));
            assertThat(updated.getAuthenticationType()).isEqualTo(AuthenticationType.SELF_SIGNED);
        }
    }

    @Test
    void a_module_needs_its_device_and_a_module_id_is_unique_on_its_device_only() throws Exception {
        try (LocalHub hub = start()) {
            OfficialSdks sdks = new OfficialSdks(hub);
            assertThat(errorOf(() -> sdks.registry().addModule(new Module("ghost", "m"))))
                    .isEqualTo(ErrorCodeDescription.DeviceNotFound);
            sdks.registry().addDevice(new Device("a"));
            sdks.registry().addDevice(new Device("b"));
            sdks.registry().addModule(new Module("a", "m"));

            assertThat(errorOf(() -> sdks.registry().addModule(new Module("a", "m"))))
                    .isEqualTo(ErrorCodeDescription.ModuleAlreadyExistsOnDevice);
            sdks.registry().addModule(new Module("b", "m"));
            assertThat(errorOf(() -> sdks.twins().get("ghost", "m"))).isEqualTo(ErrorCodeDescription.DeviceNotFound);
            assertThat(errorOf(() -> sdks.twins().get("a", "other"))).isEqualTo(ErrorCodeDescription.ModuleNotFound);
        }
    }

    @Test
    void a_device_holds_at_most_the_hubs_number_of_modules() throws Exception {
        try (LocalHub hub = start()) {
            OfficialSdks sdks = new OfficialSdks(hub);
            sdks.registry().addDevice(new Device("busy"));
            for (int i = 0; i < IdentityRegistry.MAX_MODULES_PER_DEVICE; i++) {
                sdks.registry().addModule(new Module("busy", "m" + i));
            }

            IotHubException error = catchHub(() -> sdks.registry().addModule(new Module("busy", "one-more")));

            assertThat(error.getErrorCode()).isEqualTo(413003);
            assertThat(sdks.registry().getModulesOnDevice("busy")).hasSize(IdentityRegistry.MAX_MODULES_PER_DEVICE);
        }
    }

    @Test
    void deleting_a_device_deletes_its_modules_and_their_twins_and_nothing_else() throws Exception {
        try (LocalHub hub = start()) {
            OfficialSdks sdks = new OfficialSdks(hub);
            sdks.registry().addDevice(new Device("gone"));
            sdks.registry().addDevice(new Device("gone2"));
            sdks.registry().addModule(new Module("gone", "m1"));
            sdks.registry().addModule(new Module("gone", "m2"));
            sdks.registry().addModule(new Module("gone2", "m1"));

            sdks.registry().removeDevice("gone");

            assertThat(moduleKeys(sdks, "SELECT * FROM devices.modules")).containsExactly("gone2/m1");
            sdks.registry().addDevice(new Device("gone"));
            assertThat(sdks.registry().getModulesOnDevice("gone")).as("a new device of the same id").isEmpty();
        }
        try (LocalHub hub = start()) {
            OfficialSdks sdks = new OfficialSdks(hub);
            assertThat(sdks.registry().getModulesOnDevice("gone")).as("after a restart").isEmpty();
            assertThat(sdks.registry().getModulesOnDevice("gone2")).extracting(Module::getId).containsExactly("m1");
        }
    }

    @Test
    void a_module_twin_has_its_own_versions_tags_and_desired_properties_and_honours_if_match() throws Exception {
        try (LocalHub hub = start()) {
            OfficialSdks sdks = new OfficialSdks(hub);
            sdks.registry().addDevice(new Device("d1"));
            sdks.registry().addModule(new Module("d1", "m1"));

            Twin twin = sdks.twins().get("d1", "m1");
            assertThat(twin.getModuleId()).isEqualTo("m1");
            assertThat(twin.getDeviceId()).isEqualTo("d1");
            twin.getTags().put("role", "filter");
            twin.getDesiredProperties().put("threshold", 7);
            Twin patched = sdks.twins().patch(twin);

            assertThat(patched.getModuleId()).isEqualTo("m1");
            assertThat(patched.getDesiredProperties().getVersion()).isEqualTo(2);
            assertThat(patched.getTags()).containsEntry("role", "filter");
            Twin device = sdks.twins().get("d1");
            assertThat(device.getTags()).as("the device twin is another twin").isEmpty();
            assertThat(device.getDesiredProperties().getVersion()).isEqualTo(1);

            Twin stale = sdks.twins().get("d1", "m1");
            stale.setETag(twin.getETag());
            stale.getDesiredProperties().put("threshold", 8);
            assertThatThrownBy(() -> sdks.twins().patch(stale, twin.getETag())).isInstanceOf(IotHubPreconditionFailedException.class);

            Twin replacement = new Twin("d1", "m1");
            TwinCollection desired = new TwinCollection();
            desired.put("only", true);
            replacement.getDesiredProperties().putAll(desired);
            Twin replaced = sdks.twins().replace(replacement);
            assertThat(replaced.getDesiredProperties()).containsKey("only").doesNotContainKey("threshold");
            assertThat(replaced.getTags()).as("PUT replaces tags too").isEmpty();
        }
        try (LocalHub hub = start()) {
            assertThat(new OfficialSdks(hub).twins().get("d1", "m1").getDesiredProperties())
                    .as("after a restart").containsKey("only");
        }
    }

    @Test
    void queries_from_devices_modules_read_module_twins_page_and_filter() throws Exception {
        try (LocalHub hub = start()) {
            OfficialSdks sdks = new OfficialSdks(hub);
            for (String d : List.of("d1", "d2", "d3")) {
                sdks.registry().addDevice(new Device(d));
                for (String m : List.of("alpha", "beta")) {
                    sdks.registry().addModule(new Module(d, m));
                }
            }
            Twin beta = sdks.twins().get("d2", "beta");
            beta.getTags().put("kind", "sensor");
            sdks.twins().patch(beta);

            assertThat(moduleKeys(sdks, "SELECT * FROM devices.modules")).containsExactly(
                    "d1/alpha", "d1/beta", "d2/alpha", "d2/beta", "d3/alpha", "d3/beta");
            assertThat(moduleKeys(sdks, "SELECT * FROM devices.modules WHERE moduleId = 'beta' AND deviceId != 'd1'"))
                    .containsExactly("d2/beta", "d3/beta");
            assertThat(moduleKeys(sdks, "SELECT * FROM devices.modules WHERE tags.kind = 'sensor'"))
                    .containsExactly("d2/beta");
            assertThat(moduleKeys(sdks, "SELECT * FROM devices").stream().filter(k -> k.contains("/")))
                    .as("FROM devices holds no module").isEmpty();

            List<String> paged = new ArrayList<>();
            TwinQueryResponse response = sdks.queries().queryTwins("SELECT * FROM devices.modules",
                    QueryPageOptions.builder().pageSize(4).build());
            while (response.hasNext()) {
                Twin t = response.next();
                paged.add(t.getDeviceId() + "/" + t.getModuleId());
            }
            assertThat(paged).hasSize(6).doesNotHaveDuplicates();

            var counts = sdks.queries().queryRaw(
                    "SELECT moduleId, COUNT() AS n FROM devices.modules GROUP BY moduleId");
            List<String> rows = new ArrayList<>();
            while (counts.hasNext()) {
                rows.add(counts.next());
            }
            assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row).contains("\"n\":3"));
        }
    }

    private static List<String> moduleKeys(OfficialSdks sdks, String query) throws Exception {
        TwinQueryResponse response = sdks.queries().queryTwins(query);
        List<String> keys = new ArrayList<>();
        while (response.hasNext()) {
            Twin twin = response.next();
            keys.add(twin.getModuleId() == null ? twin.getDeviceId() : twin.getDeviceId() + "/" + twin.getModuleId());
        }
        return keys;
    }

    private interface HubCall {
        void run() throws Exception;
    }

    private static IotHubException catchHub(HubCall call) {
        try {
            call.run();
        } catch (IotHubException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected an IotHubException, got " + e, e);
        }
        throw new AssertionError("expected an IotHubException, the call succeeded");
    }

    private static ErrorCodeDescription errorOf(HubCall call) {
        return catchHub(call).getErrorCodeDescription();
    }
}
