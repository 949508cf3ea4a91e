package lab.devicetwins.localhub.properties;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import lab.devicetwins.localhub.attack.HubReplies;
import lab.devicetwins.localhub.attack.ServiceOperation;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random twin patches, desired over HTTPS and reported over MQTT, each on a section emptied before the try: a patch
 * that breaks a twin rule is refused (400) and leaves the twin as it was; a small patch that breaks none is accepted,
 * bumps the section's {@code $version} by one and reads back as merged (every value where the patch put it, nothing
 * where it put null, nothing else); no answer is a 5xx or missing after {@link ServiceOperation#ANSWER_BOUND}.
 */
class TwinPatchPropertyTest {
    private static final String SERVICE_SIDE = "patch-desired";
    private static final String DEVICE_SIDE = "patch-reported";
    /** Below every size limit of a section and of one property, so a rule-abiding patch must be accepted. */
    private static final int SURELY_SMALL_BYTES = 3000;

    @RegisterExtension
    static final AttackedHub attacked = AttackedHub.seeding(List.of(SERVICE_SIDE, DEVICE_SIDE));
    private static RawMqttDevice device;
    private static final AtomicInteger requests = new AtomicInteger();

    @AfterAll
    static void stop() throws Exception {
        if (device != null) {
            device.close();
        }
    }

    /** The device's connection, made again before a case when the hub closed it, which a case may cause. */
    private static void connected() throws Exception {
        if (device == null || !device.isConnected()) {
            if (device != null) {
                device.close();
            }
            device = new RawMqttDevice(attacked.hub(), DEVICE_SIDE);
            device.connect(true);
            device.subscribe("$iothub/twin/res/#");
        }
    }

    /**
     * 150 desired patches over HTTPS (at most 3 seconds of them), each on desired properties emptied by a twin
     * replace. About three in five patches break a rule and most others keep them and are small; at least 30% and
     * 15%, so refusals and merges are both checked.
     */
    @Test
    void a_desired_patch_over_https_is_merged_when_it_keeps_the_rules_and_refused_when_it_breaks_one() {
        Coverage patches = new Coverage("the patch");
        PropertyRun.forAll(150, 3, TwinPatchTrees.patches(), patch -> patchDesired(patch, patches));
        patches.assertAtLeast("breaks a rule", 30).assertAtLeast("keeps the rules", 15);
    }

    private static void patchDesired(JsonObject patch, Coverage patches) throws Exception {
        ServiceRestClient rest = attacked.rest();
        HttpResponse<byte[]> reset = ServiceOperation.of("PUT", "/twins/" + SERVICE_SIDE,
                "{\"tags\":{},\"properties\":{\"desired\":{}}}").sendWith(rest, rest.tokenFor("iothubowner"));
        assertThat(reset.statusCode()).as(HubReplies.text(reset)).isEqualTo(200);
        JsonObject before = desired(rest);
        String body = "{\"properties\":{\"desired\":" + patch + "}}";

        HttpResponse<byte[]> response = ServiceOperation.of("PATCH", "/twins/" + SERVICE_SIDE, body)
                .sendWith(rest, rest.tokenFor("iothubowner"));

        HubReplies.assertWellFormed(response);
        boolean accepted = judge(patch, body, response.statusCode() == 200, response.statusCode(),
                HubReplies.text(response), patches);
        JsonObject after = desired(rest);
        if (accepted) {
            assertMerged(patch, before, after);
        } else {
            assertThat(after).as("the desired properties after a refused patch").isEqualTo(before);
        }
    }

    /**
     * 150 reported patches over MQTT (at most 4 seconds of them), each on reported properties emptied by a patch of
     * nulls. The same shares of the patches as over HTTPS break a rule and keep them.
     */
    @Test
    void a_reported_patch_over_mqtt_is_merged_when_it_keeps_the_rules_and_refused_when_it_breaks_one() {
        Coverage patches = new Coverage("the patch");
        PropertyRun.forAll(150, 4, TwinPatchTrees.patches(), patch -> patchReported(patch, patches));
        patches.assertAtLeast("breaks a rule", 30).assertAtLeast("keeps the rules", 15);
    }

    private static void patchReported(JsonObject patch, Coverage patches) throws Exception {
        connected();
        JsonObject current = reported();
        JsonObject clear = new JsonObject();
        current.keySet().stream().filter(k -> !k.startsWith("$")).forEach(k -> clear.add(k, JsonNull.INSTANCE));
        if (!clear.isEmpty()) {
            assertThat(report(clear).topic()).as("emptying the reported properties").startsWith("$iothub/twin/res/204/");
        }
        JsonObject before = reported();
        String body = patch.toString();

        RawMqttDevice.Received response = report(patch);

        int status = Integer.parseInt(response.topic().split("/")[3]);
        if (status >= 400) {
            HubReplies.assertFlatError(response.payloadBytes());
        }
        boolean accepted = judge(patch, body, status == 204, status, response.topic(), patches);
        JsonObject after = reported();
        if (accepted) {
            assertMerged(patch, before, after);
        } else {
            assertThat(after).as("the reported properties after a refused patch").isEqualTo(before);
        }
    }

    /** Checks the answer against the rules; returns whether the hub accepted. */
    private static boolean judge(JsonObject patch, String body, boolean accepted, int status, String answer,
                                 Coverage patches) {
        String broken = TwinPatchTrees.brokenRule(patch);
        boolean small = body.getBytes(StandardCharsets.UTF_8).length < SURELY_SMALL_BYTES;
        patches.count(broken != null ? "breaks a rule" : small ? "keeps the rules" : "keeps the rules, large");
        assertThat(status).as(answer).isLessThan(500);
        if (broken != null) {
            assertThat(accepted).as("a patch with %s is refused: %s", broken, answer).isFalse();
            assertThat(status).as(answer).isEqualTo(400);
        } else if (small) {
            assertThat(accepted).as("a small patch that keeps every rule is accepted: %s", answer).isTrue();
        }
        return accepted;
    }

    private static void assertMerged(JsonObject patch, JsonObject before, JsonObject after) {
        if (!patch.isEmpty()) {
            // whether an empty patch counts as a write is not pinned down (contract §2.4), so only others are checked
            assertThat(after.get("$version").getAsLong()).as("$version").isEqualTo(before.get("$version").getAsLong() + 1);
        }
        for (Map.Entry<List<String>, JsonElement> leaf : TwinPatchTrees.leaves(patch)) {
            JsonElement stored = TwinPatchTrees.at(after, leaf.getKey());
            if (leaf.getValue().isJsonNull()) {
                assertThat(stored).as("deleted %s", leaf.getKey()).isNull();
            } else {
                assertThat(TwinPatchTrees.sameJson(stored, leaf.getValue()))
                        .as("%s is %s but the patch put %s", leaf.getKey(), stored, leaf.getValue()).isTrue();
            }
        }
        JsonObject data = after.deepCopy();
        data.remove("$version");
        data.remove("$metadata");
        for (Map.Entry<List<String>, JsonElement> leaf : TwinPatchTrees.leaves(data)) {
            assertThat(TwinPatchTrees.at(patch, leaf.getKey())).as("%s comes from the patch", leaf.getKey()).isNotNull();
        }
    }

    private static JsonObject desired(ServiceRestClient rest) throws Exception {
        return ServiceRestClient.json(rest.send("GET", "/twins/" + SERVICE_SIDE, null))
                .getAsJsonObject("properties").getAsJsonObject("desired");
    }

    private static JsonObject reported() throws Exception {
        String rid = "get-" + requests.incrementAndGet();
        device.publish("$iothub/twin/GET/?$rid=" + rid, "", 1);
        RawMqttDevice.Received twin = device.nextResponse(rid, ServiceOperation.ANSWER_BOUND);
        assertThat(twin).as("the device's twin within %s", ServiceOperation.ANSWER_BOUND).isNotNull();
        JsonObject reported = JsonParser.parseString(twin.payload()).getAsJsonObject().getAsJsonObject("reported");
        reported.remove("$metadata");
        return reported;
    }

    private static RawMqttDevice.Received report(JsonObject patch) throws Exception {
        String rid = "patch-" + requests.incrementAndGet();
        device.publish("$iothub/twin/PATCH/properties/reported/?$rid=" + rid, patch.toString(), 1);
        RawMqttDevice.Received response = device.nextResponse(rid, ServiceOperation.ANSWER_BOUND);
        assertThat(response).as("an answer to the reported patch within %s", ServiceOperation.ANSWER_BOUND).isNotNull();
        return response;
    }
}
