package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.stream.Stream;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.auth.SasToken;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Contract §3: every service request is checked for a valid SAS token of a known policy with the right the operation
 * needs; a refusal is 401 / 401002 with IoT Hub's error body and {@code iothub-errorcode} header, and changes nothing.
 */
class ServiceAuthorizationTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private static final String DEVICE = "myDeviceId";
    private static final String NEW_DEVICE_BODY = "{\"deviceId\":\"auth-new\"}";
    private static final String DESIRED_PATCH = "{\"properties\":{\"desired\":{\"auth\":1}}}";

    private ServiceRestClient rest;

    @BeforeEach
    void client() {
        rest = new ServiceRestClient(localHub.hub());
    }

    static Stream<Arguments> operations_and_the_policies_that_may_or_may_not_call_them() {
        return Stream.of(
                // operation                          policy               allowed
                Arguments.of("GET", "/devices/" + DEVICE, null, "registryRead", true),
                Arguments.of("GET", "/devices/" + DEVICE, null, "service", false),
                Arguments.of("GET", "/devices/" + DEVICE, null, "device", false),
                Arguments.of("GET", "/statistics/devices", null, "registryRead", true),
                Arguments.of("GET", "/statistics/devices", null, "service", false),
                Arguments.of("PUT", "/devices/auth-new", NEW_DEVICE_BODY, "registryRead", false),
                Arguments.of("PUT", "/devices/auth-new", NEW_DEVICE_BODY, "serviceAndRegistryRead", false),
                Arguments.of("PUT", "/devices/auth-new", NEW_DEVICE_BODY, "service", false),
                Arguments.of("DELETE", "/devices/" + DEVICE, null, "registryRead", false),
                Arguments.of("DELETE", "/devices/" + DEVICE, null, "service", false),
                Arguments.of("GET", "/twins/" + DEVICE, null, "service", true),
                Arguments.of("GET", "/twins/" + DEVICE, null, "registryReadWrite", false),
                Arguments.of("PATCH", "/twins/" + DEVICE, DESIRED_PATCH, "registryReadWrite", false),
                Arguments.of("PATCH", "/twins/" + DEVICE, DESIRED_PATCH, "device", false),
                Arguments.of("PUT", "/twins/" + DEVICE, DESIRED_PATCH, "registryRead", false),
                Arguments.of("POST", "/devices/query", "{\"query\":\"SELECT * FROM devices\"}", "service", true),
                Arguments.of("POST", "/devices/query", "{\"query\":\"SELECT * FROM devices\"}", "registryReadWrite", false));
    }

    @ParameterizedTest(name = "{0} {1} as {3}: allowed={4}")
    @MethodSource
    void operations_and_the_policies_that_may_or_may_not_call_them(String method, String path, String body,
                                                                   String policy, boolean allowed) throws Exception {
        Snapshot before = Snapshot.of(rest);
        HttpRequest.Builder request = rest.request(path).header("Authorization", rest.tokenFor(policy));
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }

        HttpResponse<String> response = rest.send(request);

        if (allowed) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } else {
            assertUnauthorized(response, "does not grant");
            assertThat(Snapshot.of(rest)).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no Authorization header                    | NONE                  | no Authorization header
            not a SAS token                            | Bearer abc            | must start with
            SAS token without signature                | NO_SIG                | sig
            expired token                              | EXPIRED               | expired
            unknown policy                             | UNKNOWN_POLICY        | no shared access policy named 'nosuchpolicy'
            token signed with the wrong key            | WRONG_KEY             | signature
            token for another hub                      | OTHER_HUB             | otherhub.azure-devices.net
            device key instead of a policy key         | DEVICE_KEY            | no skn
            """)
    void a_bad_token_is_refused_with_401_and_the_hubs_error_body(String description, String kind, String expected)
            throws Exception {
        Snapshot before = Snapshot.of(rest);
        LocalHub hub = localHub.hub();
        String host = hub.hostName();
        String ownerKey = ServiceRestClient.keyOf(hub.ownerConnectionString());
        String token = switch (kind) {
            case "NONE" -> null;
            case "NO_SIG" -> "SharedAccessSignature sr=" + host + "&se=" + (Instant.now().getEpochSecond() + 3600)
                    + "&skn=iothubowner";
            case "EXPIRED" -> rest.tokenFor("iothubowner", Instant.now().minusSeconds(5));
            case "UNKNOWN_POLICY" -> SasToken.create(host, ownerKey, "nosuchpolicy", Instant.now().plusSeconds(600));
            case "WRONG_KEY" -> SasToken.create(host, ServiceRestClient.keyOf(hub.policyConnectionString("service")),
                    "iothubowner", Instant.now().plusSeconds(600));
            case "OTHER_HUB" -> SasToken.create("otherhub.azure-devices.net", ownerKey, "iothubowner",
                    Instant.now().plusSeconds(600));
            case "DEVICE_KEY" -> SasToken.create(host + "/devices/" + DEVICE,
                    ServiceRestClient.keyOf(hub.deviceConnectionString(DEVICE)), null, Instant.now().plusSeconds(600));
            default -> kind;
        };
        HttpRequest.Builder request = rest.request("/twins/" + DEVICE)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(DESIRED_PATCH));
        if (token != null) {
            request.header("Authorization", token);
        }

        HttpResponse<String> response = rest.send(request);

        assertUnauthorized(response, expected);
        assertThat(Snapshot.of(rest)).isEqualTo(before);
    }

    private static void assertUnauthorized(HttpResponse<String> response, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("iothub-errorcode")).hasValue("IotHubUnauthorizedAccess");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonObject error = ServiceRestClient.innerError(response);
        assertThat(error.get("errorCode").getAsInt()).isEqualTo(401002);
        assertThat(error.get("message").getAsString()).contains(messagePart);
        assertThat(ServiceRestClient.json(response).has("ExceptionMessage")).isTrue();
    }

    /** What a refused request must leave untouched: the device list and the article device's twin. */
    record Snapshot(String devices, String twin) {
        static Snapshot of(ServiceRestClient rest) throws Exception {
            return new Snapshot(rest.send("GET", "/devices", null).body(), rest.send("GET", "/twins/" + DEVICE, null).body());
        }
    }
}
