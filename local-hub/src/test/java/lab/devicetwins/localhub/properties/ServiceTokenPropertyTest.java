package lab.devicetwins.localhub.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.Generate.enumValues;
import static org.quicktheories.generators.Generate.pick;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import lab.devicetwins.localhub.attack.HubReplies;
import lab.devicetwins.localhub.attack.ServiceOperation;
import lab.devicetwins.localhub.auth.SharedAccessPolicy;
import lab.devicetwins.localhub.properties.SasTokenRecipe.Effect;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quicktheories.core.Gen;

/**
 * Generated service tokens (every field mutated, reordered, duplicated, out of range, scoped to other resources) on
 * the REST API: the hub grants exactly what an unbroken token of that policy and scope may do, refuses everything
 * else with 401 / 401002 leaving the target as it was, never answers 5xx, always answers within
 * {@link ServiceOperation#ANSWER_BOUND}, and after the run still serves with the sentinel twins untouched.
 */
class ServiceTokenPropertyTest {
    private static final String TARGET = "token-target";
    private static final String SENTINEL = AttackedHub.SENTINELS.get(0);

    @RegisterExtension
    static final AttackedHub attacked = AttackedHub.seeding(List.of(TARGET));

    /** A REST call, the resource its route stands for, and the right it needs. */
    enum Call {
        GET_TWIN("GET", "/twins/" + TARGET, null, "devices/" + TARGET, "ServiceConnect"),
        PATCH_TWIN("PATCH", "/twins/" + TARGET, "{\"properties\":{\"desired\":{\"token\":1}}}", "devices/" + TARGET,
                "ServiceConnect"),
        REPLACE_TWIN("PUT", "/twins/" + TARGET, "{\"tags\":{\"token\":2}}", "devices/" + TARGET, "ServiceConnect"),
        GET_DEVICE("GET", "/devices/" + TARGET, null, "devices/" + TARGET, "RegistryRead"),
        GET_SENTINEL_TWIN("GET", "/twins/" + SENTINEL, null, "devices/" + SENTINEL, "ServiceConnect"),
        GET_SENTINEL_DEVICE("GET", "/devices/" + SENTINEL, null, "devices/" + SENTINEL, "RegistryRead"),
        LIST_DEVICES("GET", "/devices", null, "devices", "RegistryRead"),
        QUERY("POST", "/devices/query", "{\"query\":\"SELECT * FROM devices\"}", "devices/query", "ServiceConnect"),
        STATISTICS("GET", "/statistics/devices", null, "statistics/devices", "RegistryRead");

        final ServiceOperation operation;
        final String resourcePath;
        final String right;

        Call(String method, String path, String body, String resourcePath, String right) {
            this.operation = ServiceOperation.of(method, path, body);
            this.resourcePath = resourcePath;
            this.right = right;
        }

        boolean writes() {
            return !operation.method().equals("GET") && this != QUERY;
        }
    }

    /** The policies of every new hub, and one the hub does not know. */
    enum Policy {
        IOTHUBOWNER("iothubowner", "RegistryRead", "RegistryWrite", "ServiceConnect", "DeviceConnect"),
        SERVICE("service", "ServiceConnect"),
        REGISTRY_READ("registryRead", "RegistryRead"),
        REGISTRY_READ_WRITE("registryReadWrite", "RegistryRead", "RegistryWrite"),
        DEVICE("device", "DeviceConnect"),
        SERVICE_AND_REGISTRY_READ("serviceAndRegistryRead", "ServiceConnect", "RegistryRead"),
        UNKNOWN("nosuchpolicy");

        final String policyName;
        final Set<String> rights;

        Policy(String policyName, String... rights) {
            this.policyName = policyName;
            this.rights = Set.of(rights);
        }
    }

    record Attempt(SasTokenRecipe recipe, Policy policy, Call call) {
    }

    /**
     * Any policy and call, with a scope of seventeen (the hub, the registry, the target, a sibling, query and
     * statistics, dot segments, other hubs) on one of the hub's names in any case.
     */
    private static Gen<Attempt> attempts() {
        Gen<String> host = pick(List.of("127.0.0.1", "localhost", "LOCALHOST", "LocalHost"));
        Gen<String> scope = pick(List.of("{h}", "{h}/devices", "{h}/devices/{t}", "{h}/devices/{o}",
                "{h}/devices/{t}x", "{h}/devices/query", "{h}/statistics", "{h}/statistics/devices",
                "{h}/devices/{t}/modules/m1", "{h}/devices/{o}/../{t}", "{h}/devices/./{t}", "{h}/./devices",
                "{h}/devices/{t}/..", "{h}/dev", "{h}/twins/{t}", "otherhub.azure-devices.net", "{h}x/devices/{t}"));
        Gen<String> resource = host.zip(scope, (h, s) ->
                s.replace("{h}", h).replace("{t}", TARGET).replace("{o}", SENTINEL));
        return TokenIngredients.recipes(resource).zip(enumValues(Policy.class), enumValues(Call.class), Attempt::new);
    }

    /**
     * 200 calls (at most 3 seconds of them): a 2xx when the model grants, 401 / 401002 when it refuses, either when
     * the token is ambiguous, and a refused write leaves its target as it was. At least four in five are refused.
     * The model grants only about one in twenty-eight (two in five tokens are sound, one attempt in twelve has a
     * policy and scope that allow the call): too few for a share to be checked without failing now and then, so the
     * run checks the two ingredients: at least a fifth of the tokens sound, and at least one attempt whose policy
     * and scope allow its call.
     */
    @Test
    void a_token_grants_what_its_policy_and_scope_allow_and_nothing_else() {
        Coverage verdicts = new Coverage("the model says");
        Coverage tokens = new Coverage("the token is");
        Coverage reach = new Coverage("policy and scope");
        PropertyRun.forAll(200, 3, attempts(), attempt -> call(attempt, verdicts, tokens, reach));
        verdicts.assertAtLeast("refuse", 80);
        tokens.assertAtLeast(Effect.HARMLESS, 20);
        reach.assertSeen("allow the call");
    }

    private static void call(Attempt attempt, Coverage verdicts, Coverage tokens, Coverage reach)
            throws Exception {
        ServiceRestClient rest = attacked.rest();
        String before = attempt.call().writes() ? rest.send("GET", "/twins/" + TARGET, null).body() : null;

        HttpResponse<byte[]> response = attempt.call().operation.sendWith(rest, token(attempt));

        HubReplies.assertWellFormed(response);
        Effect effect = attempt.recipe().effect(attempt.policy().policyName);
        boolean allowed = attempt.policy() != Policy.UNKNOWN && attempt.policy().rights.contains(attempt.call().right)
                && attempt.recipe().covers(attempt.call().resourcePath);
        tokens.count(effect);
        reach.count(allowed ? "allow the call" : "do not");
        verdicts.count(effect == Effect.HARMLESS && allowed ? "grant"
                : effect == Effect.BREAKING || !allowed ? "refuse" : "either");
        if (effect == Effect.HARMLESS && allowed) {
            assertThat(response.statusCode()).as("granted: %s", HubReplies.text(response)).isBetween(200, 299);
        } else if (effect == Effect.BREAKING || !allowed) {
            HubReplies.assertRefused(response, 401, 401002);
        } else {
            assertThat(response.statusCode()).as(HubReplies.text(response)).satisfiesAnyOf(
                    status -> assertThat(status).isBetween(200, 299), status -> assertThat(status).isEqualTo(401));
        }
        if (before != null && response.statusCode() >= 400) {
            assertThat(rest.send("GET", "/twins/" + TARGET, null).body()).as("the refused write's target").isEqualTo(before);
        }
    }

    private static String token(Attempt attempt) {
        Policy signer = attempt.policy() == Policy.UNKNOWN ? Policy.IOTHUBOWNER : attempt.policy();
        Policy other = signer == Policy.IOTHUBOWNER ? Policy.SERVICE : Policy.IOTHUBOWNER;
        return attempt.recipe().token(SharedAccessPolicy.wellKnownKey(signer.policyName, true),
                SharedAccessPolicy.wellKnownKey(signer.policyName, false),
                SharedAccessPolicy.wellKnownKey(other.policyName, true), attempt.policy().policyName);
    }
}
