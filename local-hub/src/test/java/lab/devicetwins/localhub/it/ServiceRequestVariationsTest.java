package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubPreconditionFailedException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceStatus;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contract §8: what SDKs other than Java's send (real PATCH, quoted If-Match, encoded ids, creates without keys, JSON
 * only with {@code Content-Type: application/json}), and the service SDK's own registry and replace semantics.
 */
class ServiceRequestVariationsTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private ServiceRestClient rest;
    private OfficialSdks sdks;
    private String deviceId;

    @BeforeEach
    void device(TestInfo test) throws Exception {
        rest = new ServiceRestClient(localHub.hub());
        sdks = new OfficialSdks(localHub.hub());
        deviceId = "var-" + Integer.toHexString(test.getDisplayName().hashCode());
        assertThat(rest.send("PUT", "/devices/" + deviceId, "{\"deviceId\":\"" + deviceId + "\"}").statusCode())
                .isEqualTo(200);
    }

    @AfterEach
    void removeDevice() throws Exception {
        rest.send("DELETE", "/devices/" + deviceId, null);
    }

    @Test
    void a_real_patch_and_a_post_with_the_override_header_both_merge() throws Exception {
        HttpResponse<String> realPatch = rest.send("PATCH", "/twins/" + deviceId,
                "{\"properties\":{\"desired\":{\"viaPatch\":1}}}");
        HttpResponse<String> overridden = rest.send(rest.asOwner("POST", "/twins/" + deviceId,
                "{\"properties\":{\"desired\":{\"viaPost\":2}}}").header("X-HTTP-Method-Override", "PATCH"));

        assertThat(realPatch.statusCode()).as(realPatch.body()).isEqualTo(200);
        assertThat(overridden.statusCode()).as(overridden.body()).isEqualTo(200);
        JsonObject desired = ServiceRestClient.json(overridden).getAsJsonObject("properties").getAsJsonObject("desired");
        assertThat(desired.get("viaPatch").getAsInt()).isEqualTo(1);
        assertThat(desired.get("viaPost").getAsInt()).isEqualTo(2);
        assertThat(desired.get("$version").getAsInt()).isEqualTo(3);
    }

    @ParameterizedTest(name = "If-Match: {0}")
    @ValueSource(strings = {"{etag}", "\"{etag}\"", "W/\"{etag}\"", "*", "\"*\""})
    void every_form_of_a_matching_if_match_is_accepted(String form) throws Exception {
        String etag = etagOfTwin();

        HttpResponse<String> response = rest.send(rest.asOwner("PATCH", "/twins/" + deviceId,
                "{\"tags\":{\"form\":\"ok\"}}").header("If-Match", form.replace("{etag}", etag)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(ServiceRestClient.json(response).getAsJsonObject("tags").get("form").getAsString()).isEqualTo("ok");
    }

    @ParameterizedTest(name = "If-Match: {0}")
    @ValueSource(strings = {"{etag}", "\"{etag}\"", "W/\"{etag}\""})
    void every_form_of_a_stale_if_match_is_refused_with_412(String form) throws Exception {
        String stale = etagOfTwin();
        rest.send("PATCH", "/twins/" + deviceId, "{\"tags\":{\"moved\":\"on\"}}");
        String current = rest.send("GET", "/twins/" + deviceId, null).body();

        HttpResponse<String> response = rest.send(rest.asOwner("PATCH", "/twins/" + deviceId,
                "{\"tags\":{\"form\":\"stale\"}}").header("If-Match", form.replace("{etag}", stale)));

        MalformedServiceRequestsTest.assertError(response, 412, 412001, stale);
        assertThat(rest.send("GET", "/twins/" + deviceId, null).body()).isEqualTo(current);
    }

    @Test
    void the_etag_header_is_the_quoted_etag_of_the_body() throws Exception {
        HttpResponse<String> twin = rest.send("GET", "/twins/" + deviceId, null);
        HttpResponse<String> device = rest.send("GET", "/devices/" + deviceId, null);

        assertThat(twin.headers().firstValue("ETag")).hasValue("\"" + ServiceRestClient.json(twin).get("etag").getAsString() + "\"");
        assertThat(device.headers().firstValue("ETag")).hasValue("\"" + ServiceRestClient.json(device).get("etag").getAsString() + "\"");
    }

    @ParameterizedTest(name = "device id {0}")
    @ValueSource(strings = {"a+b", "dev#1", "50%off", "x(1)!*'", "k=v;a:b@c$d,e", "q?uery", "_.-"})
    void device_ids_with_reserved_characters_work_when_their_path_segment_is_url_encoded(String id) throws Exception {
        String encoded = encodeSegment(id);

        HttpResponse<String> created = rest.send("PUT", "/devices/" + encoded, "{\"deviceId\":" + quoted(id) + "}");
        HttpResponse<String> twin = rest.send("PATCH", "/twins/" + encoded, "{\"tags\":{\"ok\":true}}");
        HttpResponse<String> deleted = rest.send("DELETE", "/devices/" + encoded, null);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(ServiceRestClient.json(created).get("deviceId").getAsString()).isEqualTo(id);
        assertThat(twin.statusCode()).as(twin.body()).isEqualTo(200);
        assertThat(ServiceRestClient.json(twin).get("deviceId").getAsString()).isEqualTo(id);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(rest.send("GET", "/devices/" + encoded, null).statusCode()).isEqualTo(404);
    }

    /** The Java service SDK concatenates ids into the URL; ids without {@code #}, {@code ?} or spaces survive that. */
    @ParameterizedTest(name = "device id {0}")
    @ValueSource(strings = {"a+b", "50%off", "x(1)!*'", "k=v;a:b@c$d,e"})
    void the_java_service_sdk_reaches_ids_it_sends_unencoded(String id) throws Exception {
        RegistryClient registry = sdks.registry();

        registry.addDevice(new Device(id));
        Twin twin = sdks.twins().get(id);
        registry.removeDevice(id);

        assertThat(twin.getDeviceId()).isEqualTo(id);
        assertThat(catchThrowableOfType(IotHubNotFoundException.class, () -> registry.getDevice(id))).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no authentication member   | {"deviceId":"ID"}
            empty keys (Node.js SDK)   | {"deviceId":"ID","authentication":{"symmetricKey":{"primaryKey":"","secondaryKey":""},"type":"sas"}}
            null keys                  | {"deviceId":"ID","authentication":{"symmetricKey":{"primaryKey":null,"secondaryKey":null},"type":"sas"}}
            """)
    void a_device_created_without_keys_gets_keys_from_the_hub_that_it_can_connect_with(String description, String body)
            throws Exception {
        String id = deviceId + "-k";
        HttpResponse<String> created = rest.send("PUT", "/devices/" + id, body.replace("ID", id));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonObject keys = ServiceRestClient.json(created).getAsJsonObject("authentication").getAsJsonObject("symmetricKey");
        String primary = keys.get("primaryKey").getAsString();
        String secondary = keys.get("secondaryKey").getAsString();
        assertThat(Base64.getDecoder().decode(primary)).hasSizeBetween(16, 64);
        assertThat(Base64.getDecoder().decode(secondary)).hasSizeBetween(16, 64);
        assertThat(primary).isNotEqualTo(secondary);
        LocalHub hub = localHub.hub();
        for (String key : new String[] {primary, secondary}) {
            DeviceClient device = sdks.deviceWithConnectionString(
                    "HostName=" + hub.hostName() + ";DeviceId=" + id + ";SharedAccessKey=" + key);
            try {
                device.open(false);
            } finally {
                device.close();
            }
        }
        rest.send("DELETE", "/devices/" + id, null);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            GET   | /devices/ID          |
            PUT   | /devices/ID-ct       | {"deviceId":"ID-ct"}
            GET   | /devices             |
            GET   | /statistics/devices  |
            GET   | /twins/ID            |
            PATCH | /twins/ID            | {"tags":{"ct":1}}
            PUT   | /twins/ID            | {"tags":{"ct":2}}
            POST  | /devices/query       | {"query":"SELECT * FROM devices"}
            """)
    void every_json_answer_says_it_is_json(String method, String path, String body) throws Exception {
        HttpResponse<String> response = rest.send(method, path.replace("ID", deviceId),
                body == null ? null : body.replace("ID", deviceId));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        rest.send("DELETE", "/devices/" + deviceId + "-ct", null);
    }

    @Test
    void replace_through_the_sdk_clears_tags_the_app_did_not_send() throws Exception {
        TwinClient twins = sdks.twins();
        Twin twin = twins.get(deviceId);
        twin.getTags().put("plant", "Redmond43");
        twin.getDesiredProperties().put("interval", 30);
        twins.patch(twin);
        Twin replacement = new Twin(deviceId);
        replacement.getDesiredProperties().put("interval", 60);

        Twin after = twins.replace(replacement);

        assertThat(after.getTags()).isEmpty();
        assertThat(twins.get(deviceId).getTags()).isEmpty();
        assertThat(after.getDesiredProperties()).containsOnlyKeys("interval");
        assertThat(after.getDesiredProperties().get("interval")).isEqualTo(60L);
    }

    @Test
    void a_put_without_tags_clears_them_and_keeps_reported_properties() throws Exception {
        rest.send("PATCH", "/twins/" + deviceId, "{\"tags\":{\"plant\":\"Redmond43\"}}");

        HttpResponse<String> replaced = rest.send("PUT", "/twins/" + deviceId, "{\"properties\":{\"desired\":{\"x\":1}}}");

        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        JsonObject twin = ServiceRestClient.json(replaced);
        assertThat(twin.getAsJsonObject("tags").keySet()).isEmpty();
        assertThat(twin.getAsJsonObject("properties").getAsJsonObject("desired").get("x").getAsInt()).isEqualTo(1);
        assertThat(twin.getAsJsonObject("properties").getAsJsonObject("reported").get("$version").getAsInt()).isEqualTo(1);
    }

    @Test
    void remove_device_with_its_etag_deletes_it_and_with_a_stale_etag_is_refused_with_412() throws Exception {
        RegistryClient registry = sdks.registry();
        Device stale = registry.getDevice(deviceId);
        stale.setStatus(DeviceStatus.Disabled);
        registry.updateDevice(stale);
        Device current = registry.getDevice(deviceId);

        IotHubPreconditionFailedException refused = catchThrowableOfType(IotHubPreconditionFailedException.class,
                () -> registry.removeDevice(stale));
        assertThat(refused.getErrorCode()).isEqualTo(412001);
        assertThat(registry.getDevice(deviceId).getETag()).isEqualTo(current.getETag());

        registry.removeDevice(current);

        assertThat(catchThrowableOfType(IotHubNotFoundException.class, () -> registry.getDevice(deviceId))).isNotNull();
    }

    private String etagOfTwin() throws Exception {
        return ServiceRestClient.json(rest.send("GET", "/twins/" + deviceId, null)).get("etag").getAsString();
    }

    /** As JavaScript's encodeURIComponent does it: everything but letters, digits and {@code -_.!~*'()}. */
    private static String encodeSegment(String id) {
        StringBuilder out = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) b;
            if (Character.isLetterOrDigit(c) || "-_.!~*'()".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b));
            }
        }
        return out.toString();
    }

    private static String quoted(String s) {
        return new JsonPrimitive(s).toString();
    }
}
