package lab.devicetwins.localhub.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.enumValues;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import lab.devicetwins.localhub.attack.HubReplies;
import lab.devicetwins.localhub.attack.SentinelTwins;
import lab.devicetwins.localhub.attack.ServiceOperation;
import lab.devicetwins.localhub.attack.StrictJson;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;

/**
 * Near-valid and random JSON bodies on the twin, device, bulk registry and query endpoints and as MQTT reported
 * patches: a body
 * that a strict reader ({@link StrictJson}) refuses is refused (HTTPS 400 / 400004 "not valid JSON" with a position,
 * MQTT a 400 twin response with a JSON error) and stores nothing; any other body is answered without a 5xx, in
 * strict JSON, within {@link ServiceOperation#ANSWER_BOUND}.
 */
class JsonBodyPropertyTest {
    private static final String TWIN = "json-twin";
    private static final String REPORTER = "json-reporter";
    private static final String VALID_REPORTED = "{\"firmware\":\"1.0.3\",\"battery\":{\"level\":80,\"cells\":[\"a\",\"b\"]},"
            + "\"flag\":true,\"off\":null}";
    private static final Pattern POSITION = Pattern.compile(
            "(?i)(line\\s*\\d+\\D{0,12}col(umn)?\\s*\\d+|position\\s*\\d+|offset\\s*\\d+|byte\\s*\\d+)");

    @RegisterExtension
    static final AttackedHub attacked = AttackedHub.seeding(List.of(TWIN, REPORTER));
    private static RawMqttDevice reporter;
    private static final AtomicInteger newDevices = new AtomicInteger();

    @AfterAll
    static void stop() throws Exception {
        if (reporter != null) {
            reporter.close();
        }
    }

    /**
     * The reporter's connection, made again before a case when it is gone; a hub that closed it on a payload fails
     * the case that caused it, which finds no answer to its patch.
     */
    private static void connected() throws Exception {
        if (reporter == null || !reporter.isConnected()) {
            if (reporter != null) {
                reporter.close();
            }
            reporter = new RawMqttDevice(attacked.hub(), REPORTER);
            reporter.connect(true);
            reporter.subscribe("$iothub/twin/res/#");
        }
    }

    /** An endpoint that reads a JSON body, with a valid body to start mutating from. */
    enum Endpoint {
        TWIN_PATCH("PATCH", "/twins/" + TWIN, "{\"tags\":{\"plant\":\"Redmond43\",\"floor\":[1,2]},\"properties\":"
                + "{\"desired\":{\"interval\":30,\"mode\":\"eco\",\"limits\":{\"max\":1.5,\"on\":true,\"off\":null}}}}"),
        TWIN_REPLACE("PUT", "/twins/" + TWIN, "{\"tags\":{\"plant\":\"Redmond43\"},\"properties\":{\"desired\":"
                + "{\"interval\":30,\"list\":[\"a\",\"b\"]}}}"),
        DEVICE_CREATE("PUT", "/devices/{new}", "{\"deviceId\":\"{new}\",\"status\":\"enabled\",\"authentication\":"
                + "{\"type\":\"sas\",\"symmetricKey\":{\"primaryKey\":\"\",\"secondaryKey\":\"\"}}}"),
        QUERY("POST", "/devices/query", "{\"query\":\"SELECT * FROM devices WHERE tags.plant = 'Redmond43'\"}"),
        BULK_CREATE("POST", "/devices/", "[{\"id\":\"{new}\",\"importMode\":\"create\",\"status\":\"enabled\","
                + "\"authentication\":{\"type\":\"sas\"},\"tags\":{\"plant\":\"Redmond43\"}}]"),
        METHOD_CALL("POST", "/twins/" + TWIN + "/methods", "{\"methodName\":\"reboot\",\"payload\":{\"delay\":[1,2]},"
                + "\"responseTimeoutInSeconds\":5,\"connectTimeoutInSeconds\":0}"),
        CLOUD_TO_DEVICE("POST", "/localhub/devices/" + TWIN + "/messages/devicebound", "{\"body\":\"fan on\","
                + "\"properties\":{\"priority\":\"high\"},\"messageId\":\"m-1\",\"ack\":\"none\"}"),
        DROP_CONNECTION("POST", "/localhub/connections/" + TWIN + "/drop", "{\"refuseReconnectSeconds\":0}");

        final String method;
        final String path;
        final String validBody;

        Endpoint(String method, String path, String validBody) {
            this.method = method;
            this.path = path;
            this.validBody = validBody;
        }
    }

    /** Text a mutation puts in: JSON's own punctuation, what lenient readers accept, and bytes that are no UTF-8. */
    static final List<byte[]> PIECES = List.of(bytes("{"), bytes("}"), bytes("["), bytes("]"), bytes(":"), bytes(","),
            bytes("\""), bytes("'"), bytes("\\"), bytes("/* c */"), bytes("// c\n"), bytes("#"), bytes(";"), bytes("="),
            bytes("NaN"), bytes("Infinity"), bytes("-Infinity"), bytes("1e999"), bytes("-"), bytes("."), bytes("0"),
            bytes("01"), bytes("tru"), bytes("null"), bytes("\u0000"), bytes("\u007f"), bytes("\\ud800"), bytes("\\udc00"),
            bytes("\\u12"), bytes("\\x41"), bytes("é"), bytes(" "), bytes("\t"), bytes("\n"), bytes("\u00a0"),
            bytes("\ufeff"), bytes("\"dup\":1,\"dup\":2,"), bytes("\"k\":"), bytes("1e308"), bytes("-0"),
            new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xE2, (byte) 0x82});

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One change at a place given as a fraction (per mille) of the body's length. */
    record Mutation(Kind kind, int perMille, int piece) {
        enum Kind { INSERT, DELETE, REPLACE, DUPLICATE_NEXT_8, TRUNCATE }

        byte[] apply(byte[] body) {
            int at = (int) ((long) body.length * perMille / 1000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] inserted = PIECES.get(piece);
            switch (kind) {
                case INSERT -> {
                    out.write(body, 0, at);
                    out.writeBytes(inserted);
                    out.write(body, at, body.length - at);
                }
                case DELETE -> {
                    out.write(body, 0, at);
                    if (at < body.length) {
                        out.write(body, at + 1, body.length - at - 1);
                    }
                }
                case REPLACE -> {
                    out.write(body, 0, at);
                    out.writeBytes(inserted);
                    if (at < body.length) {
                        out.write(body, at + 1, body.length - at - 1);
                    }
                }
                case DUPLICATE_NEXT_8 -> {
                    int end = Math.min(body.length, at + 8);
                    out.write(body, 0, end);
                    out.write(body, at, body.length - at);
                }
                case TRUNCATE -> out.write(body, 0, at);
            }
            return out.toByteArray();
        }
    }

    record Attempt(Endpoint endpoint, List<Mutation> mutations, List<Integer> randomPieces) {
        byte[] body(String newDevice) {
            return mutated(endpoint.validBody.replace("{new}", newDevice));
        }

        /** {@code valid} with the mutations, or the random pieces instead when there are any. */
        byte[] mutated(String valid) {
            if (!randomPieces.isEmpty()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                randomPieces.forEach(i -> out.writeBytes(PIECES.get(i)));
                return out.toByteArray();
            }
            byte[] body = bytes(valid);
            for (Mutation mutation : mutations) {
                body = mutation.apply(body);
            }
            return body;
        }
    }

    /**
     * Any endpoint; the body one to three mutations of its valid body six times in seven, the valid body once in
     * seven; and once in six, instead of either, one to twelve random pieces.
     */
    private static Gen<Attempt> attempts() {
        Gen<Mutation> mutation = enumValues(Mutation.Kind.class).zip(range(0, 1000), range(0, PIECES.size() - 1),
                Mutation::new);
        Gen<List<Mutation>> mutations = frequency(List.of(
                Pair.of(1, constant(List.<Mutation>of())),
                Pair.of(6, lists().of(mutation).ofSizeBetween(1, 3))));
        Gen<List<Integer>> random = frequency(List.of(
                Pair.of(5, constant(List.<Integer>of())),
                Pair.of(1, lists().of(range(0, PIECES.size() - 1)).ofSizeBetween(1, 12))));
        return enumValues(Endpoint.class).zip(mutations, random, Attempt::new);
    }

    /**
     * 300 bodies over HTTPS (at most 5 seconds of them): what is not strict JSON is refused with 400004 and a
     * position, and a refused body changes neither the twin nor the registry. About a fifth of the bodies are strict
     * JSON and the rest are not; at least one in twenty and half are, so both branches run.
     */
    @Test
    void a_body_is_read_strictly_and_a_refused_one_stores_nothing() {
        Coverage bodies = new Coverage("the body is");
        PropertyRun.forAll(300, 5, attempts(), attempt -> sendBody(attempt, bodies));
        bodies.assertAtLeast("strict JSON", 5).assertAtLeast("not strict JSON", 50);
    }

    private static void sendBody(Attempt attempt, Coverage bodies) throws Exception {
        ServiceRestClient rest = attacked.rest();
        String newDevice = "json-new-" + newDevices.incrementAndGet();
        byte[] body = attempt.body(newDevice);
        // the drop request's body is optional: no body at all is a plain drop
        boolean strict = isStrictJson(body) || (attempt.endpoint() == Endpoint.DROP_CONNECTION && body.length == 0);
        bodies.count(strict ? "strict JSON" : "not strict JSON");
        String twinBefore = rest.send("GET", "/twins/" + TWIN, null).body();

        Endpoint endpoint = attempt.endpoint();
        HttpResponse<byte[]> response = rest.sendForBytes(ServiceOperation.of(endpoint.method,
                        endpoint.path.replace("{new}", newDevice)).request(rest)
                .header("Authorization", rest.tokenFor("iothubowner"))
                .header("Content-Type", "application/json; charset=utf-8")
                .method(endpoint.method, HttpRequest.BodyPublishers.ofByteArray(body)));

        HubReplies.assertWellFormed(response);
        if (!strict) {
            JsonObject error = HubReplies.assertRefused(response, 400, 400004);
            if (!new String(body, StandardCharsets.UTF_8).isBlank()) {
                assertThat(error.get("message").getAsString()).as(HubReplies.text(response))
                        .contains("not valid JSON").containsPattern(POSITION);
            }
        }
        if (response.statusCode() >= 400) {
            assertThat(rest.send("GET", "/twins/" + TWIN, null).body()).as("the twin after a refused body")
                    .isEqualTo(twinBefore);
            assertThat(rest.send("GET", "/devices/" + newDevice, null).statusCode()).as("no device from a refused body")
                    .isEqualTo(404);
        }
        if ((endpoint == Endpoint.DEVICE_CREATE || endpoint == Endpoint.BULK_CREATE) && response.statusCode() < 300) {
            rest.send("DELETE", "/devices/" + newDevice, null);
        }
    }

    /**
     * 150 reported patches over MQTT (at most 5 seconds of them), the same mutations of a valid patch: what is not
     * strict JSON gets a 400 twin response with a flat JSON error, and a refused patch leaves the twin as it was.
     * About one payload in six is strict JSON; at least one in thirty-three and half are not.
     */
    @Test
    void a_reported_patch_is_read_strictly_and_a_refused_one_stores_nothing() {
        Coverage payloads = new Coverage("the payload is");
        PropertyRun.forAll(150, 5, attempts(), attempt -> reportPatch(attempt, payloads));
        payloads.assertAtLeast("strict JSON", 3).assertAtLeast("not strict JSON", 50);
    }

    private static void reportPatch(Attempt attempt, Coverage payloads) throws Exception {
        connected();
        byte[] payload = attempt.mutated(VALID_REPORTED);
        boolean strict = isStrictJson(payload);
        payloads.count(strict ? "strict JSON" : "not strict JSON");
        String before = SentinelTwins.contentOf(attacked.hub(), REPORTER);
        String rid = "json-" + newDevices.incrementAndGet();

        reporter.publish("$iothub/twin/PATCH/properties/reported/?$rid=" + rid, payload, 1);
        RawMqttDevice.Received response = reporter.nextResponse(rid, ServiceOperation.ANSWER_BOUND);

        assertThat(response).as("a twin response within %s", ServiceOperation.ANSWER_BOUND).isNotNull();
        int status = Integer.parseInt(response.topic().split("/")[3]);
        assertThat(status).as(response.topic()).isLessThan(500);
        if (!strict) {
            assertThat(response.topic()).isEqualTo("$iothub/twin/res/400/?$rid=" + rid);
        }
        if (status >= 400) {
            HubReplies.assertFlatError(response.payloadBytes());
            assertThat(SentinelTwins.contentOf(attacked.hub(), REPORTER)).as("the reporter's twin after a refused patch")
                    .isEqualTo(before);
        }
    }

    private static boolean isStrictJson(byte[] body) {
        try {
            StrictJson.parse(body);
            return true;
        } catch (StrictJson.NotStrictJson e) {
            return false;
        }
    }
}
