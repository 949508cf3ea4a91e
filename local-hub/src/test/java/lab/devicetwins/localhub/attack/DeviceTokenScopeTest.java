package lab.devicetwins.localhub.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.auth.SasToken;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.mqtt.MqttFrames;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.mqtt.RawMqttSocket;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A device's MQTT password must cover the identity it connects as: {@code sr} is {@code {host}},
 * {@code {host}/devices} or {@code {host}/devices/{id}} (a segment prefix of the device's resource), signed with the
 * device's key or with a policy that grants DeviceConnect. Any other device, a module below the device, a text
 * prefix that is no segment prefix, or a dot segment is refused with CONNACK 5 and changes no twin.
 */
class DeviceTokenScopeTest {
    private static final String DEVICE = "mqtt-scope-d";
    private static final String OTHER = "mqtt-scope-o";
    /** Its id starts with DEVICE's; a token for DEVICE must not let it in. */
    private static final String DEVICE_LONGER = "mqtt-scope-dx";

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).mqttPort(0)
            .seedDevices(List.of(DEVICE, OTHER, DEVICE_LONGER)));

    private static SentinelTwins twins;

    @BeforeAll
    static void fillTwins() throws Exception {
        twins = SentinelTwins.seed(localHub.hub(), List.of(DEVICE, OTHER, DEVICE_LONGER));
    }

    /** Who signs the token: the device's own key, or a policy key named in {@code skn}. */
    enum Signer {
        DEVICE_KEY(null), DEVICE_POLICY("device"), OWNER_POLICY("iothubowner");

        final String policy;

        Signer(String policy) {
            this.policy = policy;
        }

        String token(LocalHub hub, String resource, String deviceKeyOwner) {
            String key = policy == null ? RawMqttDevice.primaryKey(hub, deviceKeyOwner)
                    : ServiceRestClient.keyOf(hub.policyConnectionString(policy));
            return SasToken.create(resource, key, policy, Instant.now().plusSeconds(3600));
        }
    }

    private static String host() {
        return localHub.hub().hostName();
    }

    static Stream<Arguments> a_token_that_covers_the_device_lets_it_connect() {
        List<Arguments> cases = new ArrayList<>();
        for (Signer signer : Signer.values()) {
            for (String resource : List.of(host(), host() + "/devices", host() + "/devices/" + DEVICE)) {
                cases.add(Arguments.of(signer, resource));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} sr={1}")
    @MethodSource
    void a_token_that_covers_the_device_lets_it_connect(Signer signer, String resource) throws Exception {
        LocalHub hub = localHub.hub();
        try (RawMqttSocket socket = RawMqttSocket.open(hub)) {
            int code = socket.connect(hub, DEVICE, signer.token(hub, resource, DEVICE), 230);

            assertThat(code).as("CONNACK to %s with sr=%s signed by %s", DEVICE, resource, signer).isZero();
            socket.send(MqttFrames.disconnect());
            assertThat(socket.readUntilClosed().closedByHub()).isTrue();
        } finally {
            twins.awaitDisconnected();
        }
    }

    static Stream<Arguments> a_token_that_does_not_cover_the_device_is_refused_with_connack_5() {
        List<Arguments> cases = new ArrayList<>();
        for (Signer signer : Signer.values()) {
            for (String resource : List.of(
                    host() + "/devices/" + OTHER,
                    host() + "/devices/" + DEVICE + "/modules/m1",
                    host() + "/devices/" + OTHER + "/../" + DEVICE,
                    host() + "/devices/./" + DEVICE,
                    host() + "/devices/" + DEVICE + "/..",
                    host() + "/./devices/" + DEVICE,
                    host() + "/dev",
                    host() + "/devices/mqtt-scope-",
                    host() + "/twins/" + DEVICE)) {
                cases.add(Arguments.of(DEVICE, signer, resource));
            }
            cases.add(Arguments.of(DEVICE_LONGER, signer, host() + "/devices/" + DEVICE));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1} sr={2}")
    @MethodSource
    void a_token_that_does_not_cover_the_device_is_refused_with_connack_5(String clientId, Signer signer, String resource)
            throws Exception {
        // a device key is the connecting device's own: the refusal must come from the scope, not the signature
        assertRefused(clientId, signer.token(localHub.hub(), resource, clientId));
    }

    @Test
    void a_policy_without_device_connect_cannot_sign_a_device_token_even_for_the_whole_hub() throws Exception {
        LocalHub hub = localHub.hub();
        assertRefused(DEVICE, SasToken.create(host(), ServiceRestClient.keyOf(hub.policyConnectionString("service")),
                "service", Instant.now().plusSeconds(3600)));
    }

    private static void assertRefused(String clientId, String token) throws Exception {
        LocalHub hub = localHub.hub();
        Map<String, String> before = twins.read();
        try (RawMqttSocket socket = RawMqttSocket.open(hub)) {
            int code = socket.connect(hub, clientId, token, 230);

            assertThat(code).as("CONNACK to %s with %s", clientId, token).isEqualTo(5);
            assertThat(socket.readUntilClosed().closedByHub()).as("the hub closes a refused connection").isTrue();
        }
        twins.assertUnchanged(before);
    }
}
