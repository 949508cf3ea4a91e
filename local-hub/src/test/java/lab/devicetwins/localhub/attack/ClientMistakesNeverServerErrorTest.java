package lab.devicetwins.localhub.attack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever a client gets wrong (a method override that names no method, an override on a GET, odd paging headers,
 * odd paths, nulls where objects belong) is the client's mistake: a 4xx in IoT Hub's nested error body, never a 500,
 * never a Java class name or stack line, and nothing stored changes.
 */
class ClientMistakesNeverServerErrorTest {
    private static final String DEVICE = "mistakes-device";
    private static final String DESIRED_PATCH = "{\"properties\":{\"desired\":{\"mistake\":1}}}";

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).mqttPort(0).seedDevices(List.of(DEVICE)));

    private static SentinelTwins twins;
    private ServiceRestClient rest;

    @BeforeAll
    static void fillTwin() throws Exception {
        twins = SentinelTwins.seed(localHub.hub(), List.of(DEVICE));
    }

    @BeforeEach
    void client() {
        rest = new ServiceRestClient(localHub.hub());
    }

    private HttpResponse<byte[]> sendAsOwner(HttpRequest.Builder request) throws Exception {
        return rest.sendForBytes(request.header("Authorization", rest.tokenFor("iothubowner")));
    }

    @ParameterizedTest(name = "X-HTTP-Method-Override: \"{0}\"")
    @ValueSource(strings = {"PAT CH", "PATCH, PUT", "P@TCH", "PATCH/1.1", "PATCH;", "(PATCH)", "FOO", "TRACE", "CONNECT",
            "OPTIONS", "PATCHPATCHPATCHPATCHPATCHPATCHPATCHPATCHPATCHPATCHPATCHPATCHPATCHPATCHPATCHPATCH"})
    void a_method_override_that_names_no_method_of_the_twin_is_a_client_error(String override) throws Exception {
        Map<String, String> before = twins.read();

        HttpResponse<byte[]> response = sendAsOwner(ServiceOperation.of("POST", "/twins/" + DEVICE, DESIRED_PATCH)
                .request(rest).header("X-HTTP-Method-Override", override));

        assertClientError(response);
        twins.assertUnchanged(before);
    }

    @ParameterizedTest(name = "GET {0} with X-HTTP-Method-Override: {1}")
    @CsvSource({"/twins/" + DEVICE + ", PATCH", "/twins/" + DEVICE + ", PUT", "/devices/" + DEVICE + ", DELETE",
            "/devices/" + DEVICE + ", PUT", "/twins/" + DEVICE + ", GET"})
    void a_method_override_on_a_get_is_a_client_error(String path, String override) throws Exception {
        Map<String, String> before = twins.read();

        HttpResponse<byte[]> response = sendAsOwner(ServiceOperation.of("GET", path).request(rest)
                .header("X-HTTP-Method-Override", override));

        assertClientError(response);
        twins.assertUnchanged(before);
    }

    @Test
    void a_lower_case_patch_override_is_a_patch() throws Exception {
        HttpResponse<byte[]> response = sendAsOwner(ServiceOperation.of("POST", "/twins/" + DEVICE,
                "{\"properties\":{\"desired\":{\"lowerCase\":7}}}").request(rest).header("X-HTTP-Method-Override", "patch"));

        HubReplies.assertWellFormed(response);
        assertThat(response.statusCode()).as(HubReplies.text(response)).isEqualTo(200);
        JsonObject desired = ServiceRestClient.json(rest.send("GET", "/twins/" + DEVICE, null))
                .getAsJsonObject("properties").getAsJsonObject("desired");
        assertThat(desired.get("lowerCase").getAsInt()).isEqualTo(7);
        assertThat(desired.get("interval").getAsInt()).as("merged, not replaced").isEqualTo(30);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            x-ms-max-item-count | -1
            x-ms-max-item-count | 0
            x-ms-max-item-count | 99999999999
            x-ms-max-item-count | 1.5
            x-ms-max-item-count | ten
            x-ms-continuation   | garbage
            x-ms-continuation   | e30=
            x-ms-continuation   | eyJ9
            x-ms-continuation   | W10=
            x-ms-continuation   | %%%
            x-ms-continuation   | eyJuIjoiYWJjIn0=
            """)
    void a_query_with_odd_paging_headers_is_answered_without_a_server_error(String header, String value)
            throws Exception {
        Map<String, String> before = twins.read();

        HttpResponse<byte[]> response = sendAsOwner(ServiceOperation.of("POST", "/devices/query",
                "{\"query\":\"SELECT * FROM devices\"}").request(rest).header(header, value));

        HubReplies.assertWellFormed(response);
        twins.assertUnchanged(before);
    }

    @ParameterizedTest(name = "If-Match: {0}")
    @ValueSource(strings = {"\"", "W/", "\"\"\"", "W/\"", "*, *", "\"a\", \"b\"", "%00"})
    void a_patch_with_an_odd_if_match_is_answered_without_a_server_error(String ifMatch) throws Exception {
        Map<String, String> before = twins.read();

        HttpResponse<byte[]> response = sendAsOwner(new ServiceOperation("PATCH", "/twins/" + DEVICE, DESIRED_PATCH, ifMatch)
                .request(rest));

        HubReplies.assertWellFormed(response);
        if (response.statusCode() >= 400) {
            twins.assertUnchanged(before);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            GET    | /twins/%00
            GET    | /twins/%25ZZ
            GET    | /twins/%C0%AF
            GET    | /twins/%ED%A0%80
            GET    | /devices/%2e%2e
            GET    | /devices/..%2Fstatistics%2Fdevices
            GET    | /twins/a%2Fb
            DELETE | /devices/%2e
            GET    | /twins/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
            GET    | /devices//twins
            GET    | /twins/
            POST   | /devices/query/
            """)
    void an_odd_path_is_answered_without_a_server_error(String method, String path) throws Exception {
        Map<String, String> before = twins.read();

        HttpResponse<byte[]> response = sendAsOwner(ServiceOperation.of(method, path).request(rest));

        HubReplies.assertWellFormed(response);
        twins.assertUnchanged(before);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            PATCH | /twins/mistakes-device   | null
            PATCH | /twins/mistakes-device   | {"properties":null}
            PATCH | /twins/mistakes-device   | {"tags":null,"properties":{"desired":null}}
            PATCH | /twins/mistakes-device   | {"properties":{"desired":{"$version":"x"}}}
            PUT   | /twins/mistakes-device   | {"properties":{"desired":[]}}
            PUT   | /devices/mistakes-new    | {"deviceId":null,"status":null,"authentication":null}
            PUT   | /devices/mistakes-new    | {"authentication":{"symmetricKey":null,"type":null}}
            PUT   | /devices/mistakes-new    | {"authentication":{"symmetricKey":{"primaryKey":7}}}
            PUT   | /devices/mistakes-new    | {"capabilities":[],"status":{}}
            PUT   | /devices/mistakes-new    | {"deviceId":{"a":1}}
            PUT   | /devices/mistakes-new    | `[]`
            POST  | /devices/query           | {"query":null}
            POST  | /devices/query           | {"query":["SELECT * FROM devices"]}
            POST  | /devices/query           | {"query":""}
            """)
    void nulls_and_wrong_kinds_of_values_in_a_body_are_answered_without_a_server_error(String method, String path,
                                                                                      String body) throws Exception {
        Map<String, String> before = twins.read();

        HttpResponse<byte[]> response = sendAsOwner(ServiceOperation.of(method, path, body).request(rest));

        HubReplies.assertWellFormed(response);
        if (response.statusCode() >= 400) {
            twins.assertUnchanged(before);
        }
        rest.send("DELETE", "/devices/mistakes-new", null);
    }

    private static void assertClientError(HttpResponse<byte[]> response) {
        HubReplies.assertWellFormed(response);
        assertThat(response.statusCode()).as(HubReplies.text(response)).isBetween(400, 499);
    }
}
