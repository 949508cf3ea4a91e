package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.service.auth.AuthenticationType;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceStatus;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk registry operation ({@code POST /devices}, contract §10) as test helpers send it: by hand, with the body
 * the Java e2e helpers build (plain Gson: nulls left out, {@code =} escaped as a Unicode escape) to
 * {@code /devices/?api-version=}, and read back through the official service SDK.
 */
class BulkRegistryOverHttpsTest {
    private static final Gson PLAIN_GSON = new Gson();

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private ServiceRestClient rest;
    private RegistryClient registry;

    @BeforeEach
    void clients() {
        rest = new ServiceRestClient(localHub.hub());
        registry = new OfficialSdks(localHub.hub()).registry();
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** 32 random bytes in Base64, which ends in '=' as the SDK's keys do. */
    private static String key() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** One item as the e2e helpers' ExportImportDevice serialises (field order id, moduleId, eTag, importMode, …). */
    private static Map<String, Object> sasCreate(String deviceId, String primaryKey, String secondaryKey) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", deviceId);
        item.put("importMode", "create");
        item.put("authentication", Map.of("symmetricKey", Map.of("primaryKey", primaryKey, "secondaryKey", secondaryKey),
                "type", "sas"));
        return item;
    }

    private static Map<String, Object> item(String deviceId, String importMode) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", deviceId);
        item.put("importMode", importMode);
        return item;
    }

    private HttpResponse<String> bulk(List<?> items) throws Exception {
        return rest.send("POST", "/devices/", PLAIN_GSON.toJson(items));
    }

    private boolean exists(String deviceId) throws Exception {
        return catchThrowableOfType(IotHubNotFoundException.class, () -> registry.getDevice(deviceId)) == null;
    }

    private static JsonObject body(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    @Test
    void a_hundred_devices_created_in_one_call_are_there_with_their_keys_and_connect() throws Exception {
        List<Map<String, Object>> items = new ArrayList<>();
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            String deviceId = id("bulk-" + i);
            String primary = key();
            keys.put(deviceId, primary);
            if (i % 10 == 9) {
                Map<String, Object> x509 = item(deviceId, "create");
                x509.put("authentication", Map.of("x509Thumbprint", Map.of("primaryThumbprint", "0".repeat(40),
                        "secondaryThumbprint", "0".repeat(40)), "type", "selfSigned"));
                items.add(x509);
            } else {
                items.add(sasCreate(deviceId, primary, key()));
            }
        }

        HttpResponse<String> response = bulk(items);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response)).isEqualTo(JsonParser.parseString(
                "{\"isSuccessful\":true,\"errors\":[],\"warnings\":[]}"));
        assertThat(PLAIN_GSON.toJson(items)).as("the body escapes '=' as the e2e helpers' Gson does")
                .contains("\\u003d");
        int n = 0;
        for (Map.Entry<String, String> device : keys.entrySet()) {
            Device read = registry.getDevice(device.getKey());
            if (n++ % 10 == 9) {
                assertThat(read.getAuthenticationType()).isEqualTo(AuthenticationType.SELF_SIGNED);
                assertThat(read.getPrimaryThumbprint()).isEqualTo("0".repeat(40));
            } else {
                assertThat(read.getPrimaryKey()).isEqualTo(device.getValue());
            }
        }
        String first = keys.keySet().iterator().next();
        DeviceClient client = new OfficialSdks(localHub.hub()).deviceWithConnectionString(
                localHub.hub().deviceConnectionString(first));
        client.open(false);
        client.close();
        deleteAll(keys.keySet());
    }

    private void deleteAll(Iterable<String> ids) throws Exception {
        List<Map<String, Object>> deletes = new ArrayList<>();
        ids.forEach(deviceId -> deletes.add(item(deviceId, "delete")));
        assertThat(bulk(deletes).statusCode()).isEqualTo(200);
    }

    @Test
    void the_path_without_a_slash_and_keys_left_to_the_hub_work_too() throws Exception {
        String deviceId = id("bulk-noslash");
        HttpResponse<String> response = rest.send("POST", "/devices",
                "[{\"id\":\"" + deviceId + "\",\"importMode\":\"create\"}]");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(registry.getDevice(deviceId).getPrimaryKey()).isNotBlank();
        deleteAll(List.of(deviceId));
    }

    @Test
    void more_than_a_hundred_identities_get_413_and_none_is_created() throws Exception {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            items.add(item(id("bulk-many"), "create"));
        }

        HttpResponse<String> response = bulk(items);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(ServiceRestClient.innerError(response).get("errorCode").getAsInt()).isEqualTo(413002);
        assertThat(exists((String) items.get(0).get("id"))).isFalse();
    }

    @Test
    void the_same_identity_twice_gets_400011_and_nothing_is_applied() throws Exception {
        String twice = id("bulk-twice");
        String other = id("bulk-other");

        HttpResponse<String> response = bulk(List.of(item(other, "create"), item(twice, "create"),
                item(twice, "delete")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ServiceRestClient.innerError(response).get("errorCode").getAsInt()).isEqualTo(400011);
        assertThat(exists(other)).isFalse();
    }

    @Test
    void an_unknown_import_mode_or_a_body_that_is_no_array_is_refused_whole() throws Exception {
        String deviceId = id("bulk-mode");
        for (String body : List.of("[{\"id\":\"" + deviceId + "\",\"importMode\":\"create\"},"
                        + "{\"id\":\"x-" + deviceId + "\",\"importMode\":\"upsert\"}]",
                "{\"devices\":[{\"id\":\"" + deviceId + "\",\"importMode\":\"create\"}]}",
                "[{\"importMode\":\"create\"}]", "[]", "[42]")) {
            HttpResponse<String> response = rest.send("POST", "/devices", body);

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(ServiceRestClient.innerError(response).get("errorCode").getAsInt()).as(body).isEqualTo(400004);
        }
        assertThat(exists(deviceId)).isFalse();
    }

    @Test
    void a_failed_item_is_reported_with_its_error_and_the_others_are_applied() throws Exception {
        String existing = id("bulk-exists");
        registry.addDevice(new Device(existing));
        String fresh = id("bulk-fresh");
        String missing = id("bulk-missing");
        Map<String, Object> badKey = item(id("bulk-badkey"), "create");
        badKey.put("authentication", Map.of("symmetricKey", Map.of("primaryKey", "MQ==", "secondaryKey", key())));

        HttpResponse<String> response = bulk(List.of(item(existing, "create"), item(fresh, "create"),
                item(missing, "delete"), badKey));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonObject result = body(response);
        assertThat(result.get("isSuccessful").getAsBoolean()).isFalse();
        assertThat(result.getAsJsonArray("warnings")).isEmpty();
        JsonArray errors = result.getAsJsonArray("errors");
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0).getAsJsonObject().get("deviceId").getAsString()).isEqualTo(existing);
        assertThat(errors.get(0).getAsJsonObject().get("operation").getAsString()).isEqualTo("create");
        assertThat(errors.get(0).getAsJsonObject().get("errorCode").getAsString()).isEqualTo("DeviceAlreadyExists");
        assertThat(errors.get(1).getAsJsonObject().get("errorCode").getAsString()).isEqualTo("DeviceNotFound");
        assertThat(errors.get(2).getAsJsonObject().get("errorCode").getAsString()).isEqualTo("ArgumentInvalid");
        assertThat(errors.get(2).getAsJsonObject().get("errorStatus").getAsString()).contains("primaryKey");
        assertThat(exists(fresh)).isTrue();
        deleteAll(List.of(existing, fresh));
    }

    @Test
    void updates_and_deletes_that_match_etags_apply_and_the_others_fail_with_412() throws Exception {
        String a = id("bulk-etag-a");
        String b = id("bulk-etag-b");
        Device deviceA = registry.addDevice(new Device(a));
        registry.addDevice(new Device(b));
        Map<String, Object> disableA = item(a, "updateIfMatchETag");
        disableA.put("eTag", deviceA.getETag());
        disableA.put("status", "disabled");
        Map<String, Object> staleDeleteB = item(b, "deleteIfMatchETag");
        staleDeleteB.put("eTag", "AAAAAAAAAAA=");

        HttpResponse<String> response = bulk(List.of(disableA, staleDeleteB));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonArray errors = body(response).getAsJsonArray("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).getAsJsonObject().get("deviceId").getAsString()).isEqualTo(b);
        assertThat(errors.get(0).getAsJsonObject().get("errorCode").getAsString()).isEqualTo("PreconditionFailed");
        Device updated = registry.getDevice(a);
        assertThat(updated.getStatus()).isEqualTo(DeviceStatus.Disabled);
        assertThat(updated.getPrimaryKey()).as("an update without authentication keeps the keys")
                .isEqualTo(deviceA.getPrimaryKey());
        assertThat(exists(b)).isTrue();

        Map<String, Object> deleteB = item(b, "deleteIfMatchETag");
        deleteB.put("eTag", registry.getDevice(b).getETag());
        assertThat(bulk(List.of(deleteB, item(a, "delete"))).statusCode()).isEqualTo(200);
        assertThat(exists(a) || exists(b)).isFalse();
    }

    @Test
    void a_create_with_tags_and_desired_properties_starts_the_twin_with_them_and_update_twin_replaces_them()
            throws Exception {
        String deviceId = id("bulk-twin");
        Map<String, Object> create = item(deviceId, "create");
        create.put("tags", Map.of("plant", "Redmond43"));
        create.put("properties", Map.of("desired", Map.of("interval", 30)));

        assertThat(bulk(List.of(create)).statusCode()).isEqualTo(200);
        Twin twin = new OfficialSdks(localHub.hub()).twins().get(deviceId);
        assertThat(twin.getTags().get("plant")).isEqualTo("Redmond43");
        assertThat(((Number) twin.getDesiredProperties().get("interval")).intValue()).isEqualTo(30);

        Map<String, Object> stale = item(deviceId, "updateTwinIfMatchETag");
        stale.put("twinETag", "AAAAAAAAAAA=");
        stale.put("tags", Map.of("plant", "Nowhere"));
        Map<String, Object> replace = item(deviceId, "updateTwin");
        replace.put("tags", Map.of("plant", "Oslo12"));
        HttpResponse<String> staleResponse = bulk(List.of(stale));
        assertThat(staleResponse.statusCode()).isEqualTo(400);
        assertThat(body(staleResponse).getAsJsonArray("errors").get(0).getAsJsonObject().get("errorCode")
                .getAsString()).isEqualTo("PreconditionFailed");
        assertThat(bulk(List.of(replace)).statusCode()).isEqualTo(200);

        Twin replaced = new OfficialSdks(localHub.hub()).twins().get(deviceId);
        assertThat(replaced.getTags().get("plant")).isEqualTo("Oslo12");
        assertThat(replaced.getDesiredProperties().get("interval")).as("updateTwin replaces the desired properties")
                .isNull();
        deleteAll(List.of(deviceId));
    }

    @Test
    void an_edge_device_and_its_child_in_one_call() throws Exception {
        String edge = id("bulk-edge");
        String child = id("bulk-child");
        Map<String, Object> edgeItem = item(edge, "create");
        edgeItem.put("capabilities", Map.of("iotEdge", true));
        assertThat(bulk(List.of(edgeItem)).statusCode()).isEqualTo(200);
        String scope = registry.getDevice(edge).getScope();
        Map<String, Object> childItem = item(child, "create");
        childItem.put("deviceScope", scope);

        assertThat(bulk(List.of(childItem)).statusCode()).isEqualTo(200);

        assertThat(registry.getDevice(child).getParentScopes()).containsExactly(scope);
        deleteAll(List.of(child, edge));
    }

    @Test
    void a_device_and_its_modules_are_created_in_one_call_and_a_module_on_a_missing_device_fails_alone()
            throws Exception {
        String deviceId = id("bulk-module-parent");
        String ghost = id("bulk-no-such-device");
        String moduleKey = key();
        Map<String, Object> keyed = sasCreate(deviceId, moduleKey, key());
        keyed.put("moduleId", "keyed");
        Map<String, Object> tagged = item(deviceId, "create");
        tagged.put("moduleId", "tagged");
        tagged.put("tags", Map.of("role", "filter"));
        Map<String, Object> orphan = item(ghost, "create");
        orphan.put("moduleId", "m1");

        HttpResponse<String> response = bulk(List.of(item(deviceId, "create"), keyed, tagged, orphan));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonObject error = body(response).getAsJsonArray("errors").get(0).getAsJsonObject();
        assertThat(body(response).getAsJsonArray("errors")).hasSize(1);
        assertThat(error.get("deviceId").getAsString()).isEqualTo(ghost);
        assertThat(error.get("moduleId").getAsString()).isEqualTo("m1");
        assertThat(error.get("errorCode").getAsString()).isEqualTo("DeviceNotFound");
        assertThat(registry.getModulesOnDevice(deviceId)).extracting(m -> m.getId())
                .containsExactly("keyed", "tagged");
        assertThat(registry.getModule(deviceId, "keyed").getPrimaryKey()).isEqualTo(moduleKey);
        assertThat(new OfficialSdks(localHub.hub()).twins().get(deviceId, "tagged").getTags())
                .containsEntry("role", "filter");

        Map<String, Object> dropModule = item(deviceId, "delete");
        dropModule.put("moduleId", "keyed");
        assertThat(bulk(List.of(dropModule)).statusCode()).isEqualTo(200);
        assertThat(registry.getModulesOnDevice(deviceId)).extracting(m -> m.getId()).containsExactly("tagged");
        assertThat(exists(deviceId)).isTrue();
        deleteAll(List.of(deviceId));
    }

    @Test
    void the_same_module_twice_is_refused_whole_but_the_same_module_id_on_two_devices_is_not() throws Exception {
        String a = id("bulk-a");
        String b = id("bulk-b");
        Map<String, Object> moduleOfA = item(a, "create");
        moduleOfA.put("moduleId", "m");
        Map<String, Object> moduleOfB = item(b, "create");
        moduleOfB.put("moduleId", "m");

        HttpResponse<String> twice = bulk(List.of(item(a, "create"), moduleOfA, moduleOfA));
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("400011");
        assertThat(exists(a)).as("nothing applied").isFalse();

        assertThat(bulk(List.of(item(a, "create"), item(b, "create"), moduleOfA, moduleOfB)).statusCode())
                .isEqualTo(200);
        deleteAll(List.of(a, b));
    }

    @Test
    void the_registry_read_policy_may_not_post_a_bulk_request() throws Exception {
        String deviceId = id("bulk-refused");
        HttpResponse<String> response = rest.send(rest.request("/devices")
                .header("Authorization", rest.tokenFor("registryRead"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "[{\"id\":\"" + deviceId + "\",\"importMode\":\"create\"}]")));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(exists(deviceId)).isFalse();
    }

    /** A hub restarted on the same data has every device of an answered call (BulkRegistryTest: before the answer). */
    @Test
    void every_device_of_an_answered_call_survives_a_restart(@TempDir Path data) throws Exception {
        List<String> ids = new ArrayList<>();
        try (LocalHub hub = LocalHub.builder().dataDirectory(data).httpsPort(0).mqttPort(0).start()) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String deviceId = "persisted-" + i;
                ids.add(deviceId);
                items.add(item(deviceId, "create"));
            }
            assertThat(new ServiceRestClient(hub).send("POST", "/devices/", PLAIN_GSON.toJson(items)).statusCode())
                    .isEqualTo(200);
        }
        try (LocalHub hub = LocalHub.builder().dataDirectory(data).httpsPort(0).mqttPort(0).start()) {
            RegistryClient restarted = new OfficialSdks(hub).registry();
            for (String deviceId : ids) {
                assertThat(restarted.getDevice(deviceId).getDeviceId()).isEqualTo(deviceId);
            }
        }
    }
}
