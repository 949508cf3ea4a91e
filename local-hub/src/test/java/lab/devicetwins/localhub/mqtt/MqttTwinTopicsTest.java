package lab.devicetwins.localhub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The twin topics byte for byte as contract §1.3 has them, seen by a raw MQTT client: what the SDKs parse (topic
 * forms, {@code $rid} before {@code $version}, body shapes) and what they need on errors (a JSON body with errorCode).
 */
class MqttTwinTopicsTest {
    private static final String DEVICE = "topics-device";
    private static final Pattern REPORTED_OK = Pattern.compile("^\\$iothub/twin/res/204/\\?\\$rid=([^&]+)&\\$version=(\\d+)$");

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.mqttPort(0).httpsPort(0).seedDevices(List.of(DEVICE)));

    private RawMqttDevice device;

    @BeforeEach
    void connect() throws Exception {
        device = new RawMqttDevice(localHub.hub(), DEVICE);
        device.connect(true);
        device.subscribe("$iothub/twin/res/#", "$iothub/twin/PATCH/properties/desired/#");
    }

    @AfterEach
    void disconnect() throws Exception {
        device.close();
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    @Test
    void a_twin_get_is_answered_200_with_desired_and_reported_and_their_versions_only() throws Exception {
        RawMqttDevice.Received response = device.getTwin("get-1");

        assertThat(response.topic()).isEqualTo("$iothub/twin/res/200/?$rid=get-1");
        JsonObject body = json(response.payload());
        assertThat(body.keySet()).containsExactlyInAnyOrder("desired", "reported");
        assertThat(body.getAsJsonObject("desired").get("$version").getAsJsonPrimitive().isNumber()).isTrue();
        assertThat(body.getAsJsonObject("reported").get("$version").getAsJsonPrimitive().isNumber()).isTrue();
    }

    @Test
    void a_reported_patch_is_answered_204_with_rid_before_the_new_version_and_an_empty_body() throws Exception {
        long before = json(device.getTwin("before").payload()).getAsJsonObject("reported").get("$version").getAsLong();

        device.publish("$iothub/twin/PATCH/properties/reported/?$rid=patch-1", "{\"temp\":21,\"nullme\":null}", 1);
        RawMqttDevice.Received response = device.nextResponse("patch-1");

        Matcher m = REPORTED_OK.matcher(response.topic());
        assertThat(m.matches()).as(response.topic()).isTrue();
        assertThat(m.group(1)).isEqualTo("patch-1");
        assertThat(Long.parseLong(m.group(2))).isEqualTo(before + 1);
        assertThat(response.payload()).isEmpty();
        JsonObject reported = json(device.getTwin("after").payload()).getAsJsonObject("reported");
        assertThat(reported.get("temp").getAsInt()).isEqualTo(21);
        assertThat(reported.has("nullme")).isFalse();
        assertThat(reported.get("$version").getAsLong()).isEqualTo(before + 1);
    }

    @Test
    void a_reported_patch_naming_the_current_version_is_accepted() throws Exception {
        long current = json(device.getTwin("v").payload()).getAsJsonObject("reported").get("$version").getAsLong();

        device.publish("$iothub/twin/PATCH/properties/reported/?$rid=cur&$version=" + current, "{\"a\":1}", 1);

        assertThat(device.nextResponse("cur").topic()).isEqualTo(
                "$iothub/twin/res/204/?$rid=cur&$version=" + (current + 1));
    }

    @Test
    void a_desired_change_arrives_on_the_desired_topic_with_version_in_the_query_and_in_the_body() throws Exception {
        TwinClient twins = new OfficialSdks(localHub.hub()).twins();
        var twin = twins.get(DEVICE);
        twin.getDesiredProperties().put("interval", 30);

        twins.patch(twin);

        RawMqttDevice.Received notification = device.next();
        long version = twins.get(DEVICE).getDesiredProperties().getVersion();
        assertThat(notification.topic()).isEqualTo("$iothub/twin/PATCH/properties/desired/?$version=" + version);
        JsonObject body = json(notification.payload());
        assertThat(body.get("interval").getAsInt()).isEqualTo(30);
        assertThat(body.get("$version").getAsLong()).isEqualTo(version);
    }

    static Stream<Arguments> refusedReportedPatches() {
        String deep = "{\"a\":".repeat(12) + "1" + "}".repeat(12);
        return Stream.of(
                Arguments.of("malformed JSON", "", "{\"temp\":", 400, 400004),
                Arguments.of("a JSON array", "", "[1,2]", 400, 400004),
                Arguments.of("a JSON string", "", "\"hello\"", 400, 400004),
                Arguments.of("an empty payload", "", "", 400, 400004),
                Arguments.of("nesting deeper than the limit", "", deep, 400, 400004),
                Arguments.of("a key with a forbidden character", "", "{\"a.b\":1}", 400, 400004),
                Arguments.of("a value over the property size limit", "", "{\"big\":\"" + "x".repeat(40 * 1024) + "\"}",
                        400, 400004),
                Arguments.of("a stale $version", "&$version=1", "{\"a\":1}", 412, 412001));
    }

    @ParameterizedTest(name = "{0} is answered {3} with errorCode {4}")
    @MethodSource("refusedReportedPatches")
    void a_refused_reported_patch_is_answered_with_its_status_and_a_json_error_body(String what, String versionQuery,
            String payload, int status, int errorCode) throws Exception {
        // one accepted patch first, so the reported $version is past 1 and "&$version=1" is stale
        device.publish("$iothub/twin/PATCH/properties/reported/?$rid=warm-up", "{\"warm\":true}", 1);
        device.nextResponse("warm-up");
        String twinBefore = device.getTwin("before").payload();

        device.publish("$iothub/twin/PATCH/properties/reported/?$rid=bad" + versionQuery, payload, 1);
        RawMqttDevice.Received response = device.nextResponse("bad");

        assertThat(response.topic()).as(what).isEqualTo("$iothub/twin/res/" + status + "/?$rid=bad");
        JsonObject body = json(response.payload());
        assertThat(body.get("errorCode").getAsInt()).isEqualTo(errorCode);
        assertThat(body.get("message").getAsString()).isNotBlank();
        assertThat(device.isConnected()).isTrue();
        assertThat(device.getTwin("after").payload()).isEqualTo(twinBefore);
    }

    @Test
    void requests_at_qos_0_as_the_node_sdk_sends_them_are_answered_at_qos_0() throws Exception {
        device.publish("$iothub/twin/GET/?$rid=node-get", " ", 0);
        RawMqttDevice.Received get = device.nextResponse("node-get");
        device.publish("$iothub/twin/PATCH/properties/reported/?$rid=node-patch", "{\"node\":true}", 0);
        RawMqttDevice.Received patch = device.nextResponse("node-patch");

        assertThat(get.topic()).isEqualTo("$iothub/twin/res/200/?$rid=node-get");
        assertThat(get.qos()).isZero();
        assertThat(patch.topic()).matches(REPORTED_OK);
        assertThat(patch.qos()).isZero();
    }

    @ParameterizedTest(name = "request at QoS {0}, responses subscribed at QoS {1}")
    @CsvSource({"0,0", "0,1", "1,0", "1,1"})
    void twin_responses_are_sent_at_qos_0_as_iot_hub_does(int requestQos, int subscriptionQos) throws Exception {
        try (RawMqttDevice other = new RawMqttDevice(localHub.hub(), DEVICE)) {
            other.connect(true);
            other.subscribe(new String[] {"$iothub/twin/res/#"}, new int[] {subscriptionQos});

            other.publish("$iothub/twin/GET/?$rid=q", "", requestQos);
            RawMqttDevice.Received get = other.nextResponse("q");
            other.publish("$iothub/twin/PATCH/properties/reported/?$rid=p", "{\"q\":1}", requestQos);
            RawMqttDevice.Received patch = other.nextResponse("p");

            assertThat(get.qos()).isZero();
            assertThat(patch.qos()).isZero();
        }
    }
}
