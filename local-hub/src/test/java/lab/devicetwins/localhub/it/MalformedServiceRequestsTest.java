package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input over HTTPS is answered with the contract's status, error code and error body, and leaves
 * what the hub stores exactly as it was.
 */
class MalformedServiceRequestsTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    /** Larger than any body the hub accepts ({@code HttpsServiceEndpoint.MAX_BODY_BYTES} is 256 KiB). */
    private static final int OVERSIZED = 256 * 1024 + 1;
    private static final String DEVICE = "malformed-1";

    private ServiceRestClient rest;

    @BeforeAll
    static void device() throws Exception {
        ServiceRestClient rest = new ServiceRestClient(localHub.hub());
        assertThat(rest.send("PUT", "/devices/" + DEVICE, "{\"deviceId\":\"" + DEVICE + "\"}").statusCode()).isEqualTo(200);
        assertThat(rest.send("PATCH", "/twins/" + DEVICE,
                "{\"tags\":{\"plant\":\"Redmond43\"},\"properties\":{\"desired\":{\"interval\":30}}}").statusCode())
                .isEqualTo(200);
    }

    @BeforeEach
    void client() {
        rest = new ServiceRestClient(localHub.hub());
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3} {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            PATCH  | /twins/malformed-1     | {"tags":                                      | 400 | 400004 | not valid JSON
            PUT    | /twins/malformed-1     | not json at all                               | 400 | 400004 | not valid JSON
            PATCH  | /twins/malformed-1     | `[1,2,3]`                                     | 400 | 400004 | must be a JSON object
            PATCH  | /twins/malformed-1     | {"tags":"plant"}                              | 400 | 400004 | tags
            PATCH  | /twins/malformed-1     | {"properties":[]}                             | 400 | 400004 | properties
            PATCH  | /twins/malformed-1     | {"properties":{"desired":5}}                  | 400 | 400004 | properties.desired
            PATCH  | /twins/malformed-1     | {"properties":{"reported":{"a":1}}}           | 400 | 400004 | only the device
            PUT    | /twins/malformed-1     | {"properties":{"reported":{"a":1}}}           | 400 | 400004 | only the device
            PATCH  | /twins/malformed-1     | {"properties":{"desired":{"a b":1}}}          | 400 | 400004 | a b
            PATCH  | /twins/malformed-1     |                                               | 400 | 400004 | no body
            PUT    | /devices/malformed-1   | {"deviceId":"malformed-1","status":5}         | 400 | 400004 | 5
            PUT    | /devices/malformed-2   | {"deviceId":"malformed-2","status":["on"]}    | 400 | 400004 | status
            PUT    | /devices/malformed-2   | {"deviceId":"other"}                          | 400 | 400004 | does not match
            PUT    | /devices/malformed-2   | `"just a string"`                             | 400 | 400004 | JSON object
            PUT    | /devices/malformed-2   | {"authentication":{"type":"selfSigned"}}      | 400 | 400004 | selfSigned
            PUT    | /devices/malformed-2   | {"authentication":{"symmetricKey":{"primaryKey":"not base64!"}}} | 400 | 400004 | Base64
            POST   | /devices/query         | {"query":42                                   | 400 | 400004 | not valid JSON
            POST   | /devices/query         | {"q":"SELECT * FROM devices"}                 | 400 | 400004 | query
            DELETE | /twins/malformed-1     |                                               | 405 | 405000 | DELETE
            GET    | /twins/malformed-1/tags |                                              | 404 | 404000 | no IoT Hub API
            POST   | /localhub/devices/nobody/messages/devicebound | {"body":"x"}           | 404 | 404001 | nobody
            POST   | /localhub/devices/malformed-1/messages/devicebound | {"body":5}        | 400 | 400004 | 'body'
            POST   | /localhub/connections/malformed-1/drop | {"refuseReconnectSeconds":-5} | 400 | 400004 | refuseReconnectSeconds
            GET    | /nothing/here          |                                               | 404 | 404000 | no IoT Hub API
            GET    | /                      |                                               | 404 | 404000 | no IoT Hub API
            GET    | /devices/malformed-1/modules/m1 |                                      | 404 | 404010 | module 'm1'
            GET    | /devices/nobody/modules         |                                      | 404 | 404001 | device 'nobody'
            GET    | /twins/malformed-1/modules/m1   |                                      | 404 | 404010 | module 'm1'
            PUT    | /devices/nobody/modules/m1      | {}                                   | 404 | 404001 | device 'nobody'
            PUT    | /devices/malformed-1/modules/m1 | {"moduleId":"other"}                 | 400 | 400004 | does not match
            PUT    | /devices/malformed-1/modules/m1 | {"authentication":{"type":"selfSigned"}} | 400 | 400004 | selfSigned
            PATCH  | /twins/malformed-1/modules/m1   | {"properties":{"desired":{}}}        | 404 | 404010 | module 'm1'
            POST   | /twins/malformed-1/methods      | {"methodName":"reboot"}              | 404 | 404103 | not online
            POST   | /twins/malformed-1/methods      | {"methodName":"a/b"}                 | 400 | 400004 | methodName
            GET    | /jobs/v2/query?jobStatus=done   |                                      | 400 | 400004 | jobStatus
            PUT    | /jobs/v2/job1                   | {}                                   | 400 | 400004 | 'type'
            PUT    | /jobs/v2/job_1                  | {}                                   | 400 | 400004 | job id
            GET    | /jobs/v2/nojob                  |                                      | 404 | 404002 | nojob
            POST   | /jobs/v2/nojob/cancel           | {}                                   | 404 | 404002 | nojob
            POST   | /jobs/create                    | {}                                   | 501 | 501000 | not implement
            GET    | /configurations/c1              |                                      | 501 | 501000 | not implement
            POST   | /messages/deviceBound           | {}                                   | 501 | 501000 | not implement
            """)
    void a_bad_request_gets_the_contracts_error_and_changes_nothing(String method, String path, String body,
                                                                   int status, int errorCode, String messagePart)
            throws Exception {
        Stored before = Stored.now(rest);

        HttpResponse<String> response = rest.send(method, path, body);

        assertError(response, status, errorCode, messagePart);
        assertThat(Stored.now(rest)).isEqualTo(before);
    }

    @Test
    void a_body_declared_larger_than_the_limit_is_refused_with_413() throws Exception {
        Stored before = Stored.now(rest);
        String big = "{\"tags\":{\"big\":\"" + "x".repeat(OVERSIZED) + "\"}}";

        HttpResponse<String> response = rest.send("PATCH", "/twins/" + DEVICE, big);

        assertError(response, 413, 413001, "larger than");
        assertThat(Stored.now(rest)).isEqualTo(before);
    }

    @Test
    void a_chunked_body_that_grows_past_the_limit_is_refused_with_413() throws Exception {
        Stored before = Stored.now(rest);
        byte[] big = ("{\"tags\":{\"big\":\"" + "x".repeat(OVERSIZED) + "\"}}").getBytes(StandardCharsets.UTF_8);
        // an input-stream body has no length: the client sends it chunked, so only counting the bytes can stop it
        HttpRequest.Builder request = rest.asOwner("PATCH", "/twins/" + DEVICE, null)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));

        HttpResponse<String> response = rest.send(request);

        assertError(response, 413, 413001, "larger than");
        assertThat(Stored.now(rest)).isEqualTo(before);
    }

    @Test
    void the_hub_keeps_serving_after_bad_requests() throws Exception {
        for (int i = 0; i < 3; i++) {
            rest.send("PATCH", "/twins/" + DEVICE, "{\"tags\":");
            rest.send("GET", "/nothing/" + i, null);
        }

        HttpResponse<String> response = rest.send("GET", "/twins/" + DEVICE, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ServiceRestClient.json(response).getAsJsonObject("tags").get("plant").getAsString())
                .isEqualTo("Redmond43");
    }

    static void assertError(HttpResponse<String> response, int status, int errorCode, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("iothub-errorcode")).isPresent();
        JsonObject error = ServiceRestClient.innerError(response);
        assertThat(error.get("errorCode").getAsInt()).isEqualTo(errorCode);
        assertThat(error.get("message").getAsString()).contains(messagePart);
        assertThat(error.has("trackingId")).isTrue();
        assertThat(error.has("timestampUtc")).isTrue();
    }

    /** Everything a bad request could have damaged: every device and every twin, as the service reads them. */
    record Stored(String devices, String twin, String query) {
        static Stored now(ServiceRestClient rest) throws Exception {
            return new Stored(rest.send("GET", "/devices", null).body(), rest.send("GET", "/twins/" + DEVICE, null).body(),
                    rest.send("POST", "/devices/query", "{\"query\":\"SELECT * FROM devices\"}").body());
        }
    }
}
