package lab.devicetwins.localhub.properties;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.WellKnownKeys;
import lab.devicetwins.localhub.auth.SharedAccessPolicy;
import lab.devicetwins.localhub.mqtt.MqttFrames;
import lab.devicetwins.localhub.mqtt.RawMqttSocket;
import lab.devicetwins.localhub.properties.SasTokenRecipe.Effect;
import lab.devicetwins.localhub.properties.SasTokenRecipe.SrEncoding;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated device passwords on raw MQTT CONNECTs over TLS: CONNACK 0 exactly when an unbroken token, signed with the
 * device's key or a DeviceConnect policy, covers the device it connects as; CONNACK 5 for everything broken or out of
 * scope, and then the connection closes whatever the keep-alive. Every CONNECT is answered and every refused
 * connection closed within {@link RawMqttSocket#READ_BOUND}; the sentinel twins stay as they were.
 */
class DeviceTokenPropertyTest {
    private static final String DEVICE = "token-device";
    /** Nobody may connect as it: the property only tries it with tokens that must fail. */
    private static final String SENTINEL = AttackedHub.SENTINELS.get(1);

    private static AttackedHub attacked;
    private Map<String, String> sentinelsBefore;

    @BeforeContainer
    static void start() throws Exception {
        attacked = AttackedHub.start(List.of(DEVICE));
    }

    @AfterContainer
    static void stop() {
        attacked.close();
    }

    @BeforeProperty
    void snapshot() throws Exception {
        sentinelsBefore = attacked.sentinelTwins();
    }

    @AfterProperty
    void unharmed() throws Exception {
        attacked.assertUnharmed(sentinelsBefore);
    }

    /** Who signs: the device's keys, another device's key, or a policy named in {@code skn}. */
    enum Signer {
        OWN_DEVICE_KEY(null, true), ANOTHER_DEVICES_KEY(null, false), DEVICE_POLICY("device", true),
        OWNER_POLICY("iothubowner", true), SERVICE_POLICY("service", false), UNKNOWN_POLICY("nosuchpolicy", false);

        final String policy;
        /** Whether it may sign for {@link #DEVICE} at all. */
        final boolean mayConnect;

        Signer(String policy, boolean mayConnect) {
            this.policy = policy;
            this.mayConnect = mayConnect;
        }

        String key(boolean primary) {
            return switch (this) {
                case OWN_DEVICE_KEY -> WellKnownKeys.deviceKey(DEVICE, primary);
                case ANOTHER_DEVICES_KEY -> WellKnownKeys.deviceKey(SENTINEL, primary);
                case UNKNOWN_POLICY -> SharedAccessPolicy.wellKnownKey("iothubowner", primary);
                default -> SharedAccessPolicy.wellKnownKey(policy, primary);
            };
        }
    }

    record Attempt(String clientId, SasTokenRecipe recipe, Signer signer, int keepAliveSeconds) {
    }

    @Provide
    Arbitrary<Attempt> attempts() {
        Arbitrary<String> host = Arbitraries.of("127.0.0.1", "localhost", "LOCALHOST");
        Arbitrary<String> scope = Arbitraries.of("{h}", "{h}/devices", "{h}/devices/{d}", "{h}/devices/{o}",
                "{h}/devices/{d}x", "{h}/devices/{d}/modules/m1", "{h}/devices/{o}/../{d}", "{h}/devices/./{d}",
                "{h}/devices/{d}/..", "{h}/./devices/{d}", "{h}/dev", "{h}/twins/{d}", "otherhub.azure-devices.net");
        Arbitrary<String> resource = Combinators.combine(host, scope).as((h, s) ->
                s.replace("{h}", h).replace("{d}", DEVICE).replace("{o}", SENTINEL));
        Arbitrary<SasTokenRecipe> recipe = Combinators.combine(resource, Arbitraries.of(SrEncoding.class),
                TokenIngredients.expiries(), TokenIngredients.signatures(), TokenIngredients.layouts())
                .as(SasTokenRecipe::new);
        Arbitrary<Integer> keepAlive = Arbitraries.of(0, 5, 230);
        Arbitrary<Attempt> asTheDevice = Combinators.combine(recipe, Arbitraries.of(Signer.class), keepAlive)
                .as((r, s, k) -> new Attempt(DEVICE, r, s, k));
        // as the sentinel, but with the device's own key: always wrong, whatever the scope says
        Arbitrary<Attempt> asTheSentinel = Combinators.combine(recipe, keepAlive)
                .as((r, k) -> new Attempt(SENTINEL, r, Signer.OWN_DEVICE_KEY, k));
        return Arbitraries.frequencyOf(Tuple.of(4, asTheDevice), Tuple.of(1, asTheSentinel));
    }

    @Property(tries = 120, shrinking = ShrinkingMode.BOUNDED)
    void a_device_connects_exactly_when_an_unbroken_token_covers_it(@ForAll("attempts") Attempt attempt)
            throws Exception {
        LocalHub hub = attacked.hub();
        Signer signer = attempt.signer();
        String token = attempt.recipe().token(signer.key(true), signer.key(false),
                SharedAccessPolicy.wellKnownKey("registryRead", true), signer.policy);
        boolean allowed = attempt.clientId().equals(DEVICE) && signer.mayConnect
                && attempt.recipe().covers("devices/" + attempt.clientId());
        Effect effect = attempt.recipe().effect();

        Statistics.label("the model says").collect(effect == Effect.HARMLESS && allowed ? "accept"
                : effect == Effect.BREAKING || !allowed ? "refuse" : "either");
        try (RawMqttSocket socket = RawMqttSocket.open(hub)) {
            int code = socket.connect(hub, attempt.clientId(), token, attempt.keepAliveSeconds());

            if (effect == Effect.HARMLESS && allowed) {
                assertThat(code).as("CONNACK for %s", token).isZero();
            } else if (effect == Effect.BREAKING || !allowed) {
                assertThat(code).as("CONNACK for %s", token).isEqualTo(5);
            } else {
                assertThat(code).as("CONNACK for %s", token).isIn(0, 5);
            }
            if (code == 0) {
                socket.send(MqttFrames.disconnect());
            }
            assertThat(socket.readUntilClosed().closedByHub())
                    .as("the hub closes the connection after CONNACK %d and, if accepted, our DISCONNECT", code).isTrue();
        }
    }
}
