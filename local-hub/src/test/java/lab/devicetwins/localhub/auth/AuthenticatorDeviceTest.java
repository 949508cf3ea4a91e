package lab.devicetwins.localhub.auth;

import static lab.devicetwins.localhub.auth.SasTokenTest.DEVICE_KEY;
import static lab.devicetwins.localhub.auth.SasTokenTest.OTHER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.device.auth.IotHubSasToken;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import lab.devicetwins.localhub.auth.DeviceAuthenticationException.Reason;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticatorDeviceTest {

    /** The literal tokens in {@link SasTokenTest} expire at 1700003600. */
    static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);
    static final Instant IN_AN_HOUR = NOW.plusSeconds(3600);

    final InMemoryCredentials credentials = new InMemoryCredentials()
            .with(new DeviceCredentials("dev1", DEVICE_KEY, OTHER_KEY, true))
            .with(new DeviceCredentials("sensor+1", DEVICE_KEY, OTHER_KEY, true))
            .with(new DeviceCredentials("Thermostat-A", DEVICE_KEY, OTHER_KEY, true))
            .with(new DeviceCredentials("swapped", OTHER_KEY, DEVICE_KEY, true))
            .with(new DeviceCredentials("disabled", DEVICE_KEY, OTHER_KEY, false))
            .with(new DeviceCredentials("x509only", null, null, true));
    final Authenticator authenticator = new Authenticator(Set.of("127.0.0.1", "myhub.azure-devices.net"), credentials,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "dev1|" + SasTokenTest.JAVA_LAYOUT,
            "dev1|" + SasTokenTest.NODE_LAYOUT,
            "sensor+1|" + SasTokenTest.JAVA_LAYOUT_PLUS_IN_ID,
            "sensor+1|" + SasTokenTest.NODE_LAYOUT_PLUS_IN_ID})
    void literal_tokens_in_the_java_and_node_layouts_are_accepted(String deviceId, String password) {
        DevicePrincipal principal = authenticator.authenticateDevice(deviceId, password);

        assertThat(principal).isEqualTo(new DevicePrincipal(deviceId, Instant.ofEpochSecond(1700003600)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev1", "sensor+1", "Thermostat-A"})
    void a_token_made_by_the_device_sdk_is_accepted(String deviceId) {
        Authenticator withRealClock = new Authenticator(Set.of("127.0.0.1"), credentials, Clock.systemUTC());
        long expiry = Instant.now().getEpochSecond() + 3601;
        String password = new IotHubSasToken("127.0.0.1", deviceId, DEVICE_KEY, null, null, expiry).toString();

        assertThat(withRealClock.authenticateDevice(deviceId, password).tokenExpiry()).isEqualTo(Instant.ofEpochSecond(expiry));
    }

    @Test
    void the_secondary_key_is_tried_after_the_primary() {
        String password = SasToken.create("127.0.0.1/devices/swapped", DEVICE_KEY, null, IN_AN_HOUR);

        assertThat(authenticator.authenticateDevice("swapped", password).deviceId()).isEqualTo("swapped");
    }

    @Test
    void a_resource_lower_cased_as_the_docs_advise_still_names_a_mixed_case_device() {
        String password = SasToken.create("myhub.azure-devices.net/devices/thermostat-a", DEVICE_KEY, null, IN_AN_HOUR);

        assertThat(authenticator.authenticateDevice("Thermostat-A", password).deviceId()).isEqualTo("Thermostat-A");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "myhub.azure-devices.net/devices/dev1", "127.0.0.1/devices/dev1"})
    void a_policy_token_with_device_connect_for_the_hub_or_the_device_is_accepted(String resource) {
        String password = SasToken.create(resource, SharedAccessPolicy.wellKnownKey("device", true), "device", IN_AN_HOUR);

        assertThat(authenticator.authenticateDevice("dev1", password).deviceId()).isEqualTo("dev1");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"secret", "SharedAccessSignature sr=127.0.0.1/devices/dev1&se=1700003600"})
    void a_password_that_is_not_a_token_is_malformed(String password) {
        assertRefused("dev1", password, Reason.MALFORMED_TOKEN).hasMessageContaining("not a usable SAS token");
    }

    @Test
    void an_unregistered_device_is_an_unknown_identity() {
        assertRefused("ghost", SasToken.create("127.0.0.1/devices/ghost", DEVICE_KEY, null, IN_AN_HOUR), Reason.UNKNOWN_IDENTITY)
                .hasMessageContaining("'ghost' is not registered");
    }

    @Test
    void a_policy_the_hub_does_not_have_is_an_unknown_identity() {
        assertRefused("dev1", SasToken.create("127.0.0.1", DEVICE_KEY, "nosuchpolicy", IN_AN_HOUR), Reason.UNKNOWN_IDENTITY)
                .hasMessageContaining("no shared access policy named 'nosuchpolicy'");
    }

    @Test
    void a_token_signed_with_a_key_the_device_does_not_have_has_bad_credentials() {
        String wrongKey = SharedAccessPolicy.wellKnownKey("somebody else", true);

        assertRefused("dev1", SasToken.create("127.0.0.1/devices/dev1", wrongKey, null, IN_AN_HOUR), Reason.BAD_CREDENTIALS)
                .hasMessageContaining("matches neither of the device's keys")
                .message().doesNotContain(wrongKey, DEVICE_KEY, OTHER_KEY);
    }

    @Test
    void a_device_without_symmetric_keys_cannot_use_a_device_token() {
        assertRefused("x509only", SasToken.create("127.0.0.1/devices/x509only", DEVICE_KEY, null, IN_AN_HOUR), Reason.BAD_CREDENTIALS)
                .hasMessageContaining("has no symmetric keys");
    }

    @Test
    void a_policy_token_signed_with_the_wrong_key_has_bad_credentials() {
        assertRefused("dev1", SasToken.create("127.0.0.1", DEVICE_KEY, "device", IN_AN_HOUR), Reason.BAD_CREDENTIALS)
                .hasMessageContaining("neither key of policy 'device'");
    }

    @ParameterizedTest
    @CsvSource({"0", "-1"})
    void a_token_whose_expiry_is_not_after_now_has_expired(long secondsFromNow) {
        Instant expiry = NOW.plusSeconds(secondsFromNow);

        assertRefused("dev1", SasToken.create("127.0.0.1/devices/dev1", DEVICE_KEY, null, expiry), Reason.TOKEN_EXPIRED)
                .hasMessageContaining("expired at " + expiry);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1/devices/sensor+1", "127.0.0.1/devices/dev1/modules/m1",
            "127.0.0.1/devices/dev10", "otherhub.azure-devices.net/devices/dev1", "127.0.0.1/devices/x/../dev1",
            "127.0.0.1/devices/./dev1"})
    void a_device_key_token_whose_scope_does_not_cover_this_device_on_this_hub_is_not_authorized(String resource) {
        assertRefused("dev1", SasToken.create(resource, DEVICE_KEY, null, IN_AN_HOUR), Reason.NOT_AUTHORIZED)
                .hasMessageContaining("must cover <host>/devices/dev1");
    }

    /** {@code sr} is a segment prefix: the hub, or all its devices, covers this device as well. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1/devices", "127.0.0.1/devices/dev1/"})
    void a_device_key_token_whose_scope_covers_this_device_is_accepted(String resource) {
        assertThat(authenticator.authenticateDevice("dev1", SasToken.create(resource, DEVICE_KEY, null, IN_AN_HOUR))
                .deviceId()).isEqualTo("dev1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1/devices/sensor+1", "otherhub.azure-devices.net", "127.0.0.1/devices/dev1/modules/m1"})
    void a_policy_token_for_another_device_or_host_is_not_authorized(String resource) {
        String password = SasToken.create(resource, SharedAccessPolicy.wellKnownKey("device", true), "device", IN_AN_HOUR);

        assertRefused("dev1", password, Reason.NOT_AUTHORIZED).hasMessageContaining("must cover <host>/devices/dev1");
    }

    @ParameterizedTest
    @CsvSource({"service, 'grants: ServiceConnect'", "registryReadWrite, 'grants: RegistryRead, RegistryWrite'"})
    void a_policy_without_device_connect_is_not_authorized(String policy, String grants) {
        String password = SasToken.create("127.0.0.1", SharedAccessPolicy.wellKnownKey(policy, true), policy, IN_AN_HOUR);

        assertRefused("dev1", password, Reason.NOT_AUTHORIZED)
                .hasMessageContaining("does not grant DeviceConnect")
                .hasMessageContaining(grants);
    }

    @Test
    void a_disabled_device_with_good_credentials_is_refused_as_disabled() {
        assertRefused("disabled", SasToken.create("127.0.0.1/devices/disabled", DEVICE_KEY, null, IN_AN_HOUR), Reason.DEVICE_DISABLED)
                .hasMessageContaining("'disabled' is disabled");
    }

    @Test
    void a_disabled_device_with_bad_credentials_learns_only_that_the_credentials_are_bad() {
        assertRefused("disabled", SasToken.create("127.0.0.1/devices/disabled", SharedAccessPolicy.wellKnownKey("stranger", true), null, IN_AN_HOUR), Reason.BAD_CREDENTIALS);
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void every_refusal_is_answered_with_connack_not_authorized(Reason reason) {
        assertThat(reason.connackReturnCode()).isEqualTo(5);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String deviceId, String password, Reason reason) {
        return assertThatThrownBy(() -> authenticator.authenticateDevice(deviceId, password))
                .isInstanceOfSatisfying(DeviceAuthenticationException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(deviceId);
    }
}
