package lab.devicetwins.localhub.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.auth.SasToken;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A service token's {@code sr} is a resource-URI prefix, compared segment by segment: a token for one device's
 * resources reaches that device and nothing else, a token for {@code {host}/devices} reaches every device and the
 * query, a token for {@code {host}} reaches everything. An {@code sr} with a dot segment reaches nothing. A refused
 * request is 401 / 401002 and leaves what the hub stores as it was.
 *
 * <p>Resources of the routes: {@code GET /devices} and bulk {@code POST /devices} are {@code {host}/devices};
 * {@code /devices/{id}} and {@code /twins/{id}} are {@code {host}/devices/{id}}; the query is
 * {@code {host}/devices/query}; the statistics are {@code {host}/statistics/devices}.
 */
class ServiceTokenScopeTest {
    private static final String A = "scope-a";
    private static final String B = "scope-b";
    /** Its id starts with A's: a token for A must not reach it just because the text {@code …/scope-a} is a prefix. */
    private static final String A_LONGER = "scope-ab";
    private static final String DELETABLE = "scope-deletable";

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).mqttPort(0)
            .seedDevices(List.of(A, B, A_LONGER, DELETABLE)));

    private static final List<String> KEPT = List.of(A, B, A_LONGER);
    private static SentinelTwins stored;

    @BeforeAll
    static void fillTwins() throws Exception {
        stored = SentinelTwins.seed(localHub.hub(), KEPT);
    }

    /** A hub that wrongly obeyed a refused delete would fail every later case; give those their own evidence. */
    @BeforeEach
    void restoreDeletedDevices() throws Exception {
        ServiceRestClient rest = new ServiceRestClient(localHub.hub());
        for (String id : KEPT) {
            if (rest.send("GET", "/devices/" + id, null).statusCode() == 404) {
                stored = SentinelTwins.seed(localHub.hub(), KEPT);
                return;
            }
        }
    }

    private static String host() {
        return localHub.hub().hostName();
    }

    /** A token for {@code resource} signed with the policy's key, as the docs write it. */
    static String token(String resource, String policy) {
        LocalHub hub = localHub.hub();
        return SasToken.create(resource, ServiceRestClient.keyOf(hub.policyConnectionString(policy)), policy,
                Instant.now().plusSeconds(3600));
    }

    /** A token whose {@code sr} is sent exactly as given (already encoded), signed over that text. */
    static String tokenWithRawSr(String srAsSent, String policy) {
        LocalHub hub = localHub.hub();
        long se = Instant.now().plusSeconds(3600).getEpochSecond();
        String sig = SasSignature.of(ServiceRestClient.keyOf(hub.policyConnectionString(policy)), srAsSent, String.valueOf(se));
        return "SharedAccessSignature sr=" + srAsSent + "&sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8)
                + "&se=" + se + "&skn=" + policy;
    }

    private static ServiceOperation getTwin(String id) {
        return ServiceOperation.of("GET", "/twins/" + id);
    }

    private static ServiceOperation patchTwin(String id) {
        return ServiceOperation.of("PATCH", "/twins/" + id, "{\"properties\":{\"desired\":{\"scoped\":" + id.length() + "}}}");
    }

    private static ServiceOperation replaceTwin(String id) {
        return ServiceOperation.of("PUT", "/twins/" + id, "{\"tags\":{\"sentinel\":{\"id\":\"" + id
                + "\"}},\"properties\":{\"desired\":{\"interval\":30}}}");
    }

    private static ServiceOperation getDevice(String id) {
        return ServiceOperation.of("GET", "/devices/" + id);
    }

    private static ServiceOperation updateDevice(String id) {
        return new ServiceOperation("PUT", "/devices/" + id, "{\"deviceId\":\"" + id + "\",\"status\":\"enabled\"}", "*");
    }

    private static ServiceOperation deleteDevice(String id) {
        return new ServiceOperation("DELETE", "/devices/" + id, null, "*");
    }

    private static final ServiceOperation LIST_DEVICES = ServiceOperation.of("GET", "/devices");
    private static final ServiceOperation BULK = ServiceOperation.of("POST", "/devices",
            "[{\"id\":\"" + B + "\",\"importMode\":\"delete\"}]");
    private static final ServiceOperation QUERY = ServiceOperation.of("POST", "/devices/query",
            "{\"query\":\"SELECT * FROM devices\"}");
    private static final ServiceOperation STATISTICS = ServiceOperation.of("GET", "/statistics/devices");

    static Stream<Arguments> a_token_for_one_device_reaches_that_device_only() {
        List<Arguments> cases = new ArrayList<>();
        for (ServiceOperation allowed : List.of(getTwin(A), patchTwin(A), replaceTwin(A), getDevice(A), updateDevice(A))) {
            cases.add(Arguments.of(allowed, true));
        }
        for (String other : List.of(B, A_LONGER)) {
            for (ServiceOperation refused : List.of(getTwin(other), patchTwin(other), replaceTwin(other),
                    getDevice(other), updateDevice(other), deleteDevice(other))) {
                cases.add(Arguments.of(refused, false));
            }
        }
        for (ServiceOperation refused : List.of(LIST_DEVICES, BULK, QUERY, STATISTICS)) {
            cases.add(Arguments.of(refused, false));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: allowed={1}")
    @MethodSource
    void a_token_for_one_device_reaches_that_device_only(ServiceOperation operation, boolean allowed) throws Exception {
        assertScope(token(host() + "/devices/" + A, "iothubowner"), operation, allowed);
    }

    static Stream<Arguments> a_token_for_all_devices_reaches_every_device_and_the_query_but_not_the_statistics() {
        return Stream.of(
                Arguments.of(getTwin(B), true),
                Arguments.of(patchTwin(A_LONGER), true),
                Arguments.of(getDevice(B), true),
                Arguments.of(LIST_DEVICES, true),
                Arguments.of(QUERY, true),
                Arguments.of(STATISTICS, false));
    }

    @ParameterizedTest(name = "{0}: allowed={1}")
    @MethodSource
    void a_token_for_all_devices_reaches_every_device_and_the_query_but_not_the_statistics(ServiceOperation operation,
                                                                                          boolean allowed) throws Exception {
        assertScope(token(host() + "/devices", "iothubowner"), operation, allowed);
    }

    static Stream<ServiceOperation> a_token_for_the_hub_reaches_everything() {
        return Stream.of(getTwin(B), patchTwin(A), getDevice(A_LONGER), LIST_DEVICES, QUERY, STATISTICS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void a_token_for_the_hub_reaches_everything(ServiceOperation operation) throws Exception {
        assertScope(token(host(), "iothubowner"), operation, true);
    }

    @Test
    void a_token_for_one_device_may_delete_that_device() throws Exception {
        ServiceRestClient rest = new ServiceRestClient(localHub.hub());

        HttpResponse<byte[]> deleted = deleteDevice(DELETABLE)
                .sendWith(rest, token(host() + "/devices/" + DELETABLE, "iothubowner"));

        HubReplies.assertWellFormed(deleted);
        assertThat(deleted.statusCode()).as(HubReplies.text(deleted)).isEqualTo(204);
        assertThat(rest.send("GET", "/devices/" + DELETABLE, null).statusCode()).isEqualTo(404);
    }

    @Test
    void a_scoped_token_still_needs_the_right_of_its_policy() throws Exception {
        assertScope(token(host() + "/devices/" + A, "registryRead"), patchTwin(A), false);
    }

    @Test
    void the_host_of_sr_is_compared_without_regard_to_case() throws Exception {
        assertScope(token("LocalHost/devices/" + A, "iothubowner"), getTwin(A), true);
    }

    static Stream<Arguments> an_sr_that_is_no_segment_prefix_of_the_resource_reaches_nothing_of_it() {
        return Stream.of(
                Arguments.of(host() + "/dev", getTwin(A)),
                Arguments.of(host() + "/devices/scope-", getTwin(A)),
                Arguments.of(host() + "/twins/" + A, getTwin(A)),
                Arguments.of(host() + "/devices/" + A + "/modules/m1", getTwin(A)),
                Arguments.of(host() + "/statistics", LIST_DEVICES),
                Arguments.of(host() + "/devices/query", getTwin(A)));
    }

    @ParameterizedTest(name = "sr={0}: {1}")
    @MethodSource
    void an_sr_that_is_no_segment_prefix_of_the_resource_reaches_nothing_of_it(String resource, ServiceOperation operation)
            throws Exception {
        assertScope(token(resource, "iothubowner"), operation, false);
    }

    static Stream<Arguments> an_sr_with_a_dot_segment_is_refused_whatever_the_request() {
        String h = URLEncoder.encode(host(), StandardCharsets.UTF_8);
        List<String> srsAsSent = List.of(
                enc(host() + "/devices/" + A + "/../" + B),
                enc(host() + "/devices/./" + A),
                enc(host() + "/devices/" + A + "/.."),
                enc(host() + "/./devices/" + A),
                enc(host() + "/devices/" + B + "/../../devices/" + A),
                // the dots percent-encoded: one decoding makes them a dot segment
                h + "%2Fdevices%2F" + A + "%2F%2e%2e%2F" + B,
                h + "%2Fdevices%2F%2E%2F" + A);
        List<Arguments> cases = new ArrayList<>();
        for (String sr : srsAsSent) {
            for (ServiceOperation operation : List.of(getTwin(A), getTwin(B), patchTwin(B), LIST_DEVICES)) {
                cases.add(Arguments.of(sr, operation));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "sr={0}: {1}")
    @MethodSource
    void an_sr_with_a_dot_segment_is_refused_whatever_the_request(String srAsSent, ServiceOperation operation)
            throws Exception {
        assertScope(tokenWithRawSr(srAsSent, "iothubowner"), operation, false);
    }

    private static String enc(String resource) {
        return URLEncoder.encode(resource, StandardCharsets.UTF_8);
    }

    @Test
    void the_service_sdk_with_a_token_for_one_device_reads_that_twin_and_is_refused_the_others() throws Exception {
        OfficialSdks sdks = new OfficialSdks(localHub.hub());
        TwinClient scoped = sdks.twinsWithToken(token(host() + "/devices/" + A, "iothubowner"));
        Map<String, String> before = stored.read();
        Twin twinOfB = sdks.twins().get(B);
        twinOfB.getDesiredProperties().put("interval", 1);

        Twin own = scoped.get(A);
        IotHubUnauthorizedException read = catchThrowableOfType(IotHubUnauthorizedException.class, () -> scoped.get(B));
        IotHubUnauthorizedException patch = catchThrowableOfType(IotHubUnauthorizedException.class,
                () -> scoped.patch(twinOfB));
        IotHubUnauthorizedException query = catchThrowableOfType(IotHubUnauthorizedException.class,
                () -> sdks.queriesWithToken(token(host() + "/devices/" + A, "iothubowner"))
                        .queryTwins("SELECT * FROM devices"));

        assertThat(own.getDeviceId()).isEqualTo(A);
        assertThat(read).as("TwinClient.get of another device").isNotNull();
        assertThat(read.getErrorCode()).isEqualTo(401002);
        assertThat(patch).as("TwinClient.patch of another device").isNotNull();
        assertThat(query).as("QueryClient.queryTwins").isNotNull();
        assertThat(stored.read().get(B)).isEqualTo(before.get(B));
    }

    @Test
    void the_registry_sdk_with_a_token_for_one_device_reads_that_device_and_is_refused_the_registry() throws Exception {
        OfficialSdks sdks = new OfficialSdks(localHub.hub());
        RegistryClient scoped = sdks.registryWithToken(token(host() + "/devices/" + A, "iothubowner"));

        assertThat(scoped.getDevice(A).getDeviceId()).isEqualTo(A);
        assertThat(catchThrowableOfType(IotHubUnauthorizedException.class, () -> scoped.getDevice(B)))
                .as("RegistryClient.getDevice of another device").isNotNull();
        assertThat(catchThrowableOfType(IotHubUnauthorizedException.class, scoped::getStatistics))
                .as("RegistryClient.getStatistics").isNotNull();
    }

    /** Sends the call with the token; an allowed call succeeds, a refused one is 401002 and changes nothing. */
    private static void assertScope(String token, ServiceOperation operation, boolean allowed) throws Exception {
        ServiceRestClient rest = new ServiceRestClient(localHub.hub());
        Map<String, String> before = stored.read();
        String devicesBefore = rest.send("GET", "/devices", null).body();

        HttpResponse<byte[]> response = operation.sendWith(rest, token);

        if (allowed) {
            HubReplies.assertWellFormed(response);
            assertThat(response.statusCode()).as("%s: %s", operation, HubReplies.text(response)).isBetween(200, 299);
        } else {
            HubReplies.assertRefused(response, 401, 401002);
            stored.assertUnchanged(before);
            assertThat(rest.send("GET", "/devices", null).body()).isEqualTo(devicesBefore);
        }
    }
}
