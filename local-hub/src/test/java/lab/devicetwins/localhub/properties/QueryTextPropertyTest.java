package lab.devicetwins.localhub.properties;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import lab.devicetwins.localhub.attack.HubReplies;
import lab.devicetwins.localhub.attack.ServiceOperation;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
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
 * Query texts built from the pieces of the grammar (projections, aggregates, paths, functions, operators, constants
 * at and beyond the limits of numbers) and then mutated: every one is answered within
 * {@link ServiceOperation#ANSWER_BOUND}, never with a 5xx, always in strict JSON (a JSON array when it succeeds, also
 * on the next page), and no query changes a stored twin.
 */
class QueryTextPropertyTest {
    private static final List<String> HUGE = List.of("query-huge-1", "query-huge-2");

    private static AttackedHub attacked;
    private Map<String, String> sentinelsBefore;

    @BeforeContainer
    static void start() throws Exception {
        attacked = AttackedHub.start(HUGE);
        for (String id : HUGE) {
            try (RawMqttDevice device = new RawMqttDevice(attacked.hub(), id)) {
                device.connect(true);
                device.subscribe("$iothub/twin/res/#");
                // the largest decade of a double, twice: their sum overflows
                device.publish("$iothub/twin/PATCH/properties/reported/?$rid=huge", "{\"huge\":1e308,\"n\":-1}", 1);
                assertThat(device.nextResponse("huge", ServiceOperation.ANSWER_BOUND)).isNotNull();
            }
        }
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

    private static Arbitrary<String> paths() {
        return Arbitraries.of("deviceId", "tags.plant", "tags.sentinel.id", "properties.desired.interval",
                "properties.desired.limits.max", "properties.reported.battery.level", "properties.reported.battery.cells",
                "properties.reported['odd key']", "properties.reported.huge", "properties.reported.n", "status",
                "lastActivityTime", "tags.a.b.c.d.e.f", "version", "etag", "properties.desired.$version", "capabilities.iotEdge");
    }

    private static Arbitrary<String> constants() {
        return Arbitraries.of("'Redmond43'", "''", "'it''s'", "'\\''", "\"dq\"", "1", "-1", "0", "1.5", "-0.0", "1e308",
                "1e309", "-1e309", "9007199254740993", "99999999999999999999999", "0x1F", "0xFFFFFFFFFFFFFFFFFFFF", "true",
                "null", "undefined", "[1,'a',null]", "[]", "'\u00e9t\u00e9'");
    }

    private static Arbitrary<String> conditions(int depth) {
        Arbitrary<String> comparison = Combinators.combine(paths(),
                Arbitraries.of("=", "!=", "<>", "<", ">", "<=", ">="), constants()).as((p, o, c) -> p + " " + o + " " + c);
        Arbitrary<String> function = Combinators.combine(
                Arbitraries.of("IS_DEFINED", "IS_NULL", "IS_NUMBER", "IS_STRING", "IS_BOOL", "IS_OBJECT", "STARTSWITH",
                        "ENDSWITH", "CONTAINS", "NO_SUCH_FUNCTION"), paths(), constants(), Arbitraries.of(0, 1, 2, 3))
                .as((f, p, c, arity) -> f + "(" + List.of(p, c, p).subList(0, arity).stream().collect(Collectors.joining(", ")) + ")");
        Arbitrary<String> arithmetic = Combinators.combine(paths(), Arbitraries.of("*", "/", "%", "+", "-"), constants(),
                Arbitraries.of("=", ">", "<"), constants()).as((p, o, c, cmp, d) -> p + " " + o + " " + c + " " + cmp + " " + d);
        Arbitrary<String> membership = Combinators.combine(paths(), Arbitraries.of("IN", "NIN"),
                constants().list().ofMaxSize(3)).as((p, o, cs) -> p + " " + o + " [" + String.join(", ", cs) + "]");
        Arbitrary<String> leaf = Arbitraries.oneOf(comparison, function, arithmetic, membership);
        if (depth >= 3) {
            return leaf;
        }
        Arbitrary<String> deeper = Arbitraries.lazy(() -> conditions(depth + 1));
        return Arbitraries.frequencyOf(
                Tuple.of(4, leaf),
                Tuple.of(1, deeper.map(c -> "NOT " + c)),
                Tuple.of(1, deeper.map(c -> "(" + c + ")")),
                Tuple.of(2, Combinators.combine(deeper, Arbitraries.of("AND", "OR"), deeper).as((a, o, b) -> a + " " + o + " " + b)));
    }

    private static Arbitrary<String> selections() {
        Arbitrary<String> item = Arbitraries.oneOf(paths(),
                paths().map(p -> p + " AS x"),
                Arbitraries.just("COUNT() AS n"),
                Combinators.combine(Arbitraries.of("SUM", "AVG", "MIN", "MAX"), paths()).as((f, p) -> f + "(" + p + ")"),
                Combinators.combine(Arbitraries.of("SUM", "AVG"), Arbitraries.of("properties.reported.huge"))
                        .as((f, p) -> f + "(" + p + ") AS s"));
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("*")),
                Tuple.of(3, item.list().ofMinSize(1).ofMaxSize(3).map(items -> String.join(", ", items))));
    }

    /** A query of the grammar's pieces: SELECT [TOP n] … FROM … [WHERE …] [GROUP BY …]. */
    private static Arbitrary<String> queries() {
        // the pieces the hub refuses (a negative or huge TOP, other collections) are rarer, so most texts get as far
        // as running against the stored twins
        Arbitrary<String> top = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("")),
                Tuple.of(4, Arbitraries.of("TOP 0 ", "TOP 1 ", "TOP 3 ")),
                Tuple.of(1, Arbitraries.of("TOP 99999999999999999999 ", "TOP -1 ")));
        Arbitrary<String> collection = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.of("devices", "DEVICES")),
                Tuple.of(1, Arbitraries.of("devices.modules", "twins")));
        Arbitrary<String> where = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("")),
                Tuple.of(3, conditions(0).map(c -> " WHERE " + c)));
        Arbitrary<String> groupBy = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("")),
                Tuple.of(1, paths().map(p -> " GROUP BY " + p)));
        return Combinators.combine(top, selections(), collection, where, groupBy)
                .as((t, s, c, w, g) -> "SELECT " + t + s + " FROM " + c + w + g);
    }

    /** A change to the text: a character deleted, one inserted, or the text cut. */
    record TextMutation(int kind, int perMille, char inserted) {
        String apply(String text) {
            int at = (int) ((long) text.length() * perMille / 1000);
            return switch (kind) {
                case 0 -> at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text;
                case 1 -> text.substring(0, at) + inserted + text.substring(at);
                default -> text.substring(0, at);
            };
        }
    }

    record Attempt(String query, List<TextMutation> mutations, Optional<Integer> pageSize) {
        String text() {
            String text = query;
            for (TextMutation mutation : mutations) {
                text = mutation.apply(text);
            }
            return text;
        }
    }

    @Provide
    Arbitrary<Attempt> attempts() {
        Arbitrary<TextMutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 1000),
                Arbitraries.of('\'', '"', '(', ')', '[', ']', '.', ',', '*', '-', '$', '\\', ' ', '\u0000', '\n', '\u00e9',
                        '\ud800', '0', 'x')).as(TextMutation::new);
        Arbitrary<List<TextMutation>> mutations = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(List.<TextMutation>of())),
                Tuple.of(1, mutation.list().ofMinSize(1).ofMaxSize(2)));
        return Combinators.combine(queries(), mutations, Arbitraries.of(1, 2, 100).optional(0.5))
                .as(Attempt::new);
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void every_query_text_is_answered_in_strict_json_without_a_server_error(@ForAll("attempts") Attempt attempt)
            throws Exception {
        ServiceRestClient rest = attacked.rest();

        HttpResponse<byte[]> page = query(rest, attempt.text(), attempt.pageSize(), null);

        JsonElement body = HubReplies.assertWellFormed(page);
        Statistics.label("status").collect(page.statusCode());
        if (page.statusCode() == 200) {
            assertThat(body != null && body.isJsonArray()).as("a JSON array: %s", HubReplies.text(page)).isTrue();
            Optional<String> continuation = page.headers().firstValue("x-ms-continuation");
            if (continuation.isPresent()) {
                HttpResponse<byte[]> next = query(rest, attempt.text(), attempt.pageSize(), continuation.get());
                JsonElement nextBody = HubReplies.assertWellFormed(next);
                assertThat(next.statusCode()).as(HubReplies.text(next)).isEqualTo(200);
                assertThat(nextBody.isJsonArray()).as(HubReplies.text(next)).isTrue();
            }
        }
    }

    private static HttpResponse<byte[]> query(ServiceRestClient rest, String text, Optional<Integer> pageSize,
                                              String continuation) throws Exception {
        HttpRequest.Builder request = ServiceOperation.of("POST", "/devices/query", "{\"query\":" + jsonString(text) + "}")
                .request(rest).header("Authorization", rest.tokenFor("iothubowner"));
        pageSize.ifPresent(size -> request.header("x-ms-max-item-count", String.valueOf(size)));
        if (continuation != null) {
            request.header("x-ms-continuation", continuation);
        }
        return rest.sendForBytes(request);
    }

    /** A JSON string with everything outside printable ASCII escaped, lone surrogates included (as \\uXXXX). */
    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
