package lab.devicetwins.localhub.attack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hub reads JSON strictly (RFC 8259 plus I-JSON's no duplicate names, no lone surrogates, numbers a double can
 * hold, UTF-8 only) on every HTTPS body and every MQTT reported patch. Anything else is refused (HTTPS 400 / 400004
 * "not valid JSON" with the position; MQTT a 400 twin response with a JSON error body) before anything is stored.
 * And every body the hub sends is strict JSON itself, even for a sum that overflows a double.
 */
class StrictJsonOverWireTest {
    private static final String TWIN = "strict-twin";
    private static final String REPORTER = "strict-reporter";
    private static final String HUGE_1 = "strict-huge-1";
    private static final String HUGE_2 = "strict-huge-2";
    private static final Pattern POSITION = Pattern.compile(
            "(?i)(line\\s*\\d+\\D{0,12}col(umn)?\\s*\\d+|position\\s*\\d+|offset\\s*\\d+|byte\\s*\\d+)");

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).mqttPort(0)
            .seedDevices(List.of(TWIN, REPORTER, HUGE_1, HUGE_2)));

    private static SentinelTwins twins;
    private static RawMqttDevice reporter;
    private static int newDevices;

    @BeforeAll
    static void connect() throws Exception {
        twins = SentinelTwins.seed(localHub.hub(), List.of(TWIN));
        reporter = new RawMqttDevice(localHub.hub(), REPORTER);
        reporter.connect(true);
        reporter.subscribe("$iothub/twin/res/#");
        for (String id : List.of(HUGE_1, HUGE_2)) {
            try (RawMqttDevice device = new RawMqttDevice(localHub.hub(), id)) {
                device.connect(true);
                device.subscribe("$iothub/twin/res/#");
                // a double's largest decade, valid JSON; two of them overflow a sum
                device.publish("$iothub/twin/PATCH/properties/reported/?$rid=huge", "{\"huge\":1e308}", 1);
                assertThat(device.nextResponse("huge", ServiceOperation.ANSWER_BOUND)).isNotNull();
            }
        }
    }

    @AfterAll
    static void disconnect() throws Exception {
        reporter.close();
    }

    /** Where a body goes; {@code %s} in the template is one member of an object, {@code "probe":1} when valid. */
    enum Endpoint {
        TWIN_PATCH("PATCH", "/twins/" + TWIN, "{\"properties\":{\"desired\":{%s}}}"),
        TWIN_REPLACE("PUT", "/twins/" + TWIN, "{\"tags\":{\"t\":1},\"properties\":{\"desired\":{%s}}}"),
        DEVICE_CREATE("PUT", "/devices/{new}", "{\"deviceId\":\"{new}\",%s}"),
        QUERY("POST", "/devices/query", "{\"query\":\"SELECT * FROM devices\",%s}");

        final String method;
        final String path;
        final String template;

        Endpoint(String method, String path, String template) {
            this.method = method;
            this.path = path;
            this.template = template;
        }
    }

    /** A way JSON text can be wrong although a lenient reader takes it. */
    enum Defect {
        UNQUOTED_NAME("probe:1"),
        SINGLE_QUOTED_NAME("'probe':1"),
        SINGLE_QUOTED_VALUE("\"probe\":'x'"),
        BLOCK_COMMENT("\"probe\":1 /* note */"),
        LINE_COMMENT("\"probe\":1 // note\n"),
        HASH_COMMENT("\"probe\":1 # note\n"),
        SEMICOLON_SEPARATOR("\"probe\":1;\"other\":2"),
        EQUALS_INSTEAD_OF_COLON("\"probe\"=1"),
        NAN("\"probe\":NaN"),
        INFINITY("\"probe\":Infinity"),
        MINUS_INFINITY("\"probe\":-Infinity"),
        NUMBER_BEYOND_A_DOUBLE("\"probe\":1e999"),
        LONE_HIGH_SURROGATE_NAME("\"\\ud800\":1"),
        LONE_LOW_SURROGATE_VALUE("\"probe\":\"\\udc00\""),
        REVERSED_SURROGATE_PAIR_VALUE("\"probe\":\"\\udc00\\ud800\""),
        DUPLICATE_NAME("\"probe\":1,\"probe\":2"),
        INVALID_UTF8_IN_VALUE(null) {
            @Override
            byte[] member() {
                return bytes("\"probe\":\"", new byte[] {(byte) 0xC3, 0x28}, "\"");
            }
        },
        BYTE_FF_IN_NAME(null) {
            @Override
            byte[] member() {
                return bytes("\"pro", new byte[] {(byte) 0xFF}, "be\":1");
            }
        },
        OVERLONG_UTF8_SLASH(null) {
            @Override
            byte[] member() {
                return bytes("\"probe\":\"", new byte[] {(byte) 0xC0, (byte) 0xAF}, "\"");
            }
        },
        ENCODED_SURROGATE_IN_UTF8(null) {
            @Override
            byte[] member() {
                return bytes("\"probe\":\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"");
            }
        },
        TRAILING_WORD(null) {
            @Override
            byte[] body(String template) {
                return (template.replace("%s", "\"probe\":1") + " x").getBytes(StandardCharsets.UTF_8);
            }
        },
        TRAILING_BRACE(null) {
            @Override
            byte[] body(String template) {
                return (template.replace("%s", "\"probe\":1") + "}").getBytes(StandardCharsets.UTF_8);
            }
        },
        SECOND_DOCUMENT(null) {
            @Override
            byte[] body(String template) {
                return (template.replace("%s", "\"probe\":1") + "{}").getBytes(StandardCharsets.UTF_8);
            }
        };

        private final String member;

        Defect(String member) {
            this.member = member;
        }

        byte[] member() {
            return member.getBytes(StandardCharsets.UTF_8);
        }

        /** The template with the defect in it. */
        byte[] body(String template) {
            int slot = template.indexOf("%s");
            return bytes(template.substring(0, slot), member(), template.substring(slot + 2));
        }

        static byte[] bytes(String before, byte[] middle, String after) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(middle);
            out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }
    }

    static Stream<Arguments> a_body_that_is_not_strict_json_is_refused_with_400_and_its_position() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            for (Defect defect : Defect.values()) {
                cases.add(Arguments.of(endpoint, defect));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource
    void a_body_that_is_not_strict_json_is_refused_with_400_and_its_position(Endpoint endpoint, Defect defect)
            throws Exception {
        ServiceRestClient rest = new ServiceRestClient(localHub.hub());
        String newDevice = "strict-new-" + (++newDevices);
        Map<String, String> before = twins.read();
        String devicesBefore = rest.send("GET", "/devices", null).body();

        HttpResponse<byte[]> response = send(rest, endpoint, newDevice,
                defect.body(endpoint.template.replace("{new}", newDevice)));

        JsonObject error = HubReplies.assertRefused(response, 400, 400004);
        assertThat(error.get("message").getAsString()).as("%s: %s", defect, HubReplies.text(response))
                .contains("not valid JSON").containsPattern(POSITION);
        twins.assertUnchanged(before);
        assertThat(rest.send("GET", "/devices", null).body()).isEqualTo(devicesBefore);
        assertThat(rest.send("GET", "/devices/" + newDevice, null).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Endpoint.class)
    void the_same_body_with_the_member_written_as_json_is_accepted(Endpoint endpoint) throws Exception {
        ServiceRestClient rest = new ServiceRestClient(localHub.hub());
        String newDevice = "strict-new-" + (++newDevices);
        byte[] valid = endpoint.template.replace("{new}", newDevice).replace("%s", "\"probe\":1")
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> response = send(rest, endpoint, newDevice, valid);

        HubReplies.assertWellFormed(response);
        assertThat(response.statusCode()).as(HubReplies.text(response)).isEqualTo(200);
        // the control run may change the sentinel twin legitimately; the refusals compare against a fresh read
    }

    private static HttpResponse<byte[]> send(ServiceRestClient rest, Endpoint endpoint, String newDevice, byte[] body)
            throws Exception {
        HttpRequest.Builder request = ServiceOperation.of(endpoint.method, endpoint.path.replace("{new}", newDevice))
                .request(rest)
                .header("Authorization", rest.tokenFor("iothubowner"))
                .header("Content-Type", "application/json; charset=utf-8")
                .method(endpoint.method, HttpRequest.BodyPublishers.ofByteArray(body));
        return rest.sendForBytes(request);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Defect.class, mode = EnumSource.Mode.EXCLUDE, names = {"TRAILING_WORD", "TRAILING_BRACE",
            "SECOND_DOCUMENT"})
    void a_reported_patch_that_is_not_strict_json_gets_a_400_response_and_changes_nothing(Defect defect)
            throws Exception {
        assertReportedPatchRefused(defect.body("{%s}"), defect.name());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"probe\":1} x", "{\"probe\":1}}", "{\"probe\":1}{}", "{\"probe\":1},"})
    void a_reported_patch_with_text_after_the_object_gets_a_400_response_and_changes_nothing(String payload)
            throws Exception {
        assertReportedPatchRefused(payload.getBytes(StandardCharsets.UTF_8), payload);
    }

    private static void assertReportedPatchRefused(byte[] payload, String what) throws Exception {
        String rid = "strict-" + Integer.toHexString(what.hashCode());
        String before = SentinelTwins.contentOf(localHub.hub(), REPORTER);

        reporter.publish("$iothub/twin/PATCH/properties/reported/?$rid=" + rid, payload, 1);
        RawMqttDevice.Received response = reporter.nextResponse(rid, ServiceOperation.ANSWER_BOUND);

        assertThat(response).as("a twin response to %s", what).isNotNull();
        assertThat(response.topic()).as(what).isEqualTo("$iothub/twin/res/400/?$rid=" + rid);
        HubReplies.assertFlatError(response.payloadBytes());
        assertThat(SentinelTwins.contentOf(localHub.hub(), REPORTER)).as("the reporter's twin after %s", what).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SUM", "AVG"})
    void an_aggregate_that_overflows_a_double_is_still_answered_with_strict_json(String aggregate) throws Exception {
        ServiceRestClient rest = new ServiceRestClient(localHub.hub());

        HttpResponse<byte[]> response = ServiceOperation.of("POST", "/devices/query",
                        "{\"query\":\"SELECT " + aggregate + "(properties.reported.huge) AS s FROM devices\"}")
                .sendWith(rest, rest.tokenFor("iothubowner"));

        JsonElement body = HubReplies.assertWellFormed(response);
        assertThat(body).as(HubReplies.text(response)).isNotNull();
    }
}
