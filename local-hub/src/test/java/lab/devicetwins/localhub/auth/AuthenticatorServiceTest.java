package lab.devicetwins.localhub.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.service.auth.IotHubConnectionStringBuilder;
import com.microsoft.azure.sdk.iot.service.auth.IotHubServiceSasToken;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticatorServiceTest {

    static final Set<String> HOSTS = Set.of("127.0.0.1", "MyHub.azure-devices.net");
    static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);
    static final Instant IN_AN_HOUR = NOW.plusSeconds(3600);
    /** The resource of the requests on device dev1 and its twin. */
    static final List<String> DEVICE_DEV1 = List.of("devices", "dev1");

    final Authenticator authenticator = new Authenticator(HOSTS, new InMemoryCredentials(), Clock.fixed(NOW, ZoneOffset.UTC));

    static String key(String policy) {
        return SharedAccessPolicy.wellKnownKey(policy, true);
    }

    @Test
    void a_token_made_by_the_service_sdk_is_accepted_with_the_policy_rights() {
        Authenticator withRealClock = new Authenticator(HOSTS, new InMemoryCredentials(), Clock.systemUTC());
        String token = new IotHubServiceSasToken(IotHubConnectionStringBuilder.createIotHubConnectionString(
                "HostName=127.0.0.1;SharedAccessKeyName=serviceAndRegistryRead;SharedAccessKey="
                        + key("serviceAndRegistryRead"))).toString();

        ServicePrincipal principal = withRealClock.authorizeService(token, AccessRight.SERVICE_CONNECT, DEVICE_DEV1);

        assertThat(principal.policyName()).isEqualTo("serviceAndRegistryRead");
        assertThat(principal.rights()).containsExactlyInAnyOrder(AccessRight.SERVICE_CONNECT, AccessRight.REGISTRY_READ);
        assertThat(principal.expiry()).isAfter(Instant.now());
    }

    @Test
    void a_node_style_token_with_the_host_as_written_and_skn_before_se_is_accepted() {
        SasToken signed = SasToken.parse(SasToken.create("MyHub.azure-devices.net", key("service"), "service", IN_AN_HOUR));
        String nodeLayout = "SharedAccessSignature sr=MyHub.azure-devices.net&sig="
                + URLEncoder.encode(signed.signature(), StandardCharsets.UTF_8) + "&skn=service&se=" + signed.expirySeconds();

        assertThat(authenticator.authorizeService(nodeLayout, AccessRight.SERVICE_CONNECT, DEVICE_DEV1).policyName()).isEqualTo("service");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "myhub.azure-devices.net", "MYHUB.AZURE-DEVICES.NET", "127.0.0.1/devices/dev1",
            "myhub.azure-devices.net/devices", "127.0.0.1/devices/DEV1/"})
    void a_token_for_a_hub_host_or_a_resource_under_it_is_accepted(String resource) {
        String token = SasToken.create(resource, key("iothubowner"), "iothubowner", IN_AN_HOUR);

        assertThat(authenticator.authorizeService(token, AccessRight.REGISTRY_WRITE, DEVICE_DEV1).rights())
                .containsExactlyInAnyOrder(AccessRight.values());
    }

    @Test
    void the_secondary_key_is_accepted_too() {
        String token = SasToken.create("127.0.0.1", SharedAccessPolicy.wellKnownKey("service", false), "service", IN_AN_HOUR);

        assertThat(authenticator.authorizeService(token, AccessRight.SERVICE_CONNECT, DEVICE_DEV1).expiry()).isEqualTo(IN_AN_HOUR);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = "  ")
    void a_missing_header_is_refused(String header) {
        assertRefused(header, AccessRight.SERVICE_CONNECT).hasMessageContaining("no Authorization header");
    }

    @Test
    void a_malformed_header_is_refused() {
        assertRefused("Basic dXNlcjpwYXNz", AccessRight.SERVICE_CONNECT).hasMessageContaining("Malformed SAS token");
    }

    @Test
    void a_token_signed_with_a_device_key_is_refused_for_lack_of_a_policy_name() {
        assertRefused(SasToken.create("127.0.0.1/devices/dev1", SasTokenTest.DEVICE_KEY, null, IN_AN_HOUR),
                AccessRight.SERVICE_CONNECT).hasMessageContaining("no skn");
    }

    @Test
    void an_unknown_policy_is_named() {
        assertRefused(SasToken.create("127.0.0.1", key("service"), "nosuchpolicy", IN_AN_HOUR), AccessRight.SERVICE_CONNECT)
                .hasMessageContaining("no shared access policy named 'nosuchpolicy'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"otherhub.azure-devices.net", "127.0.0.10", "127.0.0.1.evil.example", "myhub.azure-devices.net.x"})
    void a_token_for_another_host_is_refused_naming_the_hosts_this_hub_answers_to(String resource) {
        assertRefused(SasToken.create(resource, key("service"), "service", IN_AN_HOUR), AccessRight.SERVICE_CONNECT)
                .hasMessageContaining("'" + resource.toLowerCase() + "' (sr)")
                .hasMessageContaining("127.0.0.1, myhub.azure-devices.net");
    }

    @Test
    void a_token_signed_with_the_wrong_key_is_refused_without_showing_any_key() {
        String wrongKey = key("iothubowner");

        assertRefused(SasToken.create("127.0.0.1", wrongKey, "service", IN_AN_HOUR), AccessRight.SERVICE_CONNECT)
                .hasMessageContaining("matches neither key of policy 'service'")
                .message().doesNotContain(wrongKey, key("service"), SharedAccessPolicy.wellKnownKey("service", false));
    }

    @ParameterizedTest
    @CsvSource({"0", "-1", "-3600"})
    void a_token_whose_expiry_is_not_after_now_is_refused(long secondsFromNow) {
        assertRefused(SasToken.create("127.0.0.1", key("service"), "service", NOW.plusSeconds(secondsFromNow)),
                AccessRight.SERVICE_CONNECT)
                .hasMessageContaining("expired at " + NOW.plusSeconds(secondsFromNow))
                .hasMessageContaining("hub's time is " + NOW);
    }

    @Test
    void a_token_expiring_one_second_from_now_is_accepted() {
        String token = SasToken.create("127.0.0.1", key("service"), "service", NOW.plusSeconds(1));

        assertThat(authenticator.authorizeService(token, AccessRight.SERVICE_CONNECT, DEVICE_DEV1).policyName()).isEqualTo("service");
    }

    @ParameterizedTest
    @CsvSource({
            "service, REGISTRY_READ, 'grants: ServiceConnect'",
            "registryRead, SERVICE_CONNECT, 'grants: RegistryRead'",
            "registryReadWrite, SERVICE_CONNECT, 'grants: RegistryRead, RegistryWrite'",
            "device, SERVICE_CONNECT, 'grants: DeviceConnect'",
            "serviceAndRegistryRead, REGISTRY_WRITE, 'grants: RegistryRead, ServiceConnect'"})
    void a_policy_without_the_needed_right_is_refused_saying_what_it_grants(String policy, AccessRight needed, String grants) {
        assertRefused(SasToken.create("127.0.0.1", key(policy), policy, IN_AN_HOUR), needed)
                .hasMessageContaining("does not grant " + needed.wireName())
                .hasMessageContaining(grants);
    }

    @ParameterizedTest(name = "a token for {0} does not reach {1}")
    @CsvSource({
            "127.0.0.1/devices/dev1, devices/dev2",
            "127.0.0.1/devices/dev1, devices/query",
            "127.0.0.1/devices/dev1, devices",
            "127.0.0.1/devices/dev1, statistics/devices",
            "127.0.0.1/devices/dev1/modules/m1, devices/dev1",
            "127.0.0.1/devices/dev, devices/dev1",
            "127.0.0.1/statistics, devices/dev1"})
    void a_token_reaches_only_the_resources_its_scope_is_a_segment_prefix_of(String scope, String resource) {
        String token = SasToken.create(scope, key("iothubowner"), "iothubowner", IN_AN_HOUR);

        assertThatThrownBy(() -> authenticator.authorizeService(token, AccessRight.SERVICE_CONNECT,
                List.of(resource.split("/"))))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.IOT_HUB_UNAUTHORIZED_ACCESS))
                .hasMessageContaining("does not cover '127.0.0.1/" + resource + "'");
    }

    @ParameterizedTest(name = "a token for {0} reaches {1}")
    @CsvSource({
            "127.0.0.1, devices/dev1",
            "127.0.0.1/devices, devices/query",
            "127.0.0.1/devices/query, devices/query",
            "127.0.0.1/statistics/devices, statistics/devices",
            "127.0.0.1/devices/dev1, devices/dev1/modules/m1"})
    void a_token_reaches_every_resource_under_its_scope(String scope, String resource) {
        String token = SasToken.create(scope, key("iothubowner"), "iothubowner", IN_AN_HOUR);

        assertThat(authenticator.authorizeService(token, AccessRight.SERVICE_CONNECT, List.of(resource.split("/")))
                .policyName()).isEqualTo("iothubowner");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1/devices/dev2/../dev1", "127.0.0.1/devices/./dev1", "127.0.0.1/devices//dev1",
            "127.0.0.1/..", "127.0.0.1/devices/dev1/.."})
    void a_scope_with_a_dot_or_empty_segment_is_refused_whatever_it_would_resolve_to(String scope) {
        assertRefused(SasToken.create(scope, key("iothubowner"), "iothubowner", IN_AN_HOUR), AccessRight.SERVICE_CONNECT)
                .hasMessageContaining("no '.', '..' or empty segment");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String header, AccessRight needed) {
        return assertThatThrownBy(() -> authenticator.authorizeService(header, needed, DEVICE_DEV1))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.IOT_HUB_UNAUTHORIZED_ACCESS));
    }
}
