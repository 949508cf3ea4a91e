package lab.devicetwins.localhub.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.oneOf;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import lab.devicetwins.localhub.attack.HubReplies;
import lab.devicetwins.localhub.attack.ServiceOperation;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;

/**
 * Query texts built from the pieces of the grammar (projections, aggregates, paths, functions, operators, constants
 * at and beyond the limits of numbers) and then mutated: every one is answered within
 * {@link ServiceOperation#ANSWER_BOUND}, never with a 5xx, always in strict JSON (a JSON array when it succeeds, also
 * on the next page), and no query changes a stored twin. Names with dashes written without brackets round-trip,
 * and every spelling of a dash means what the rule in docs/local-hub-query.md ("Names in paths") says: part of a
 * name or a subtraction.
 */
class QueryTextPropertyTest {
    private static final List<String> HUGE = List.of("query-huge-1", "query-huge-2");
    /** The twin whose desired properties have dashed names. */
    private static final String DASHES = "query-dashes";

    @RegisterExtension
    static final AttackedHub attacked = AttackedHub.seeding(List.of(HUGE.get(0), HUGE.get(1), DASHES));

    /** Two twins whose reported values sum past the range of a double. */
    @BeforeAll
    static void reportHugeValues() throws Exception {
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

    /** A number next to names that start with its name and a dash, so a dash read the wrong way selects otherwise. */
    @BeforeAll
    static void desireDashedNames() throws Exception {
        patchDesired(attacked.rest(), "{\"n\":5,\"n-1\":7,\"n-b\":3,\"n-0x1\":11}");
    }

    private static Gen<String> paths() {
        return pick(List.of("deviceId", "tags.plant", "tags.sentinel.id", "properties.desired.interval",
                "properties.desired.limits.max", "properties.reported.battery.level", "properties.reported.battery.cells",
                "properties.reported['odd key']", "properties.reported.huge", "properties.reported.n", "status",
                "lastActivityTime", "tags.a.b.c.d.e.f", "version", "etag", "properties.desired.$version",
                "capabilities.iotEdge", "properties.desired.n-1", "tags.a-b.c",
                "properties.desired.KeyQuery0d1e23f4-1e23-4123-8abc-123456789012"));
    }

    private static Gen<String> constants() {
        return pick(List.of("'Redmond43'", "''", "'it''s'", "'\\''", "\"dq\"", "1", "-1", "0", "1.5", "-0.0", "1e308",
                "1e309", "-1e309", "9007199254740993", "99999999999999999999999", "0x1F", "0xFFFFFFFFFFFFFFFFFFFF", "true",
                "null", "undefined", "[1,'a',null]", "[]", "'\u00e9t\u00e9'"));
    }

    /**
     * A condition: a comparison, function call, arithmetic comparison or membership test, a quarter of the time
     * each; below depth 3, four times in eight such a leaf, else its negation, its parenthesis (once each) or two
     * conditions joined by AND or OR (twice).
     */
    private static Gen<String> conditions(int depth) {
        Gen<String> comparison = paths().zip(pick(List.of("=", "!=", "<>", "<", ">", "<=", ">=")), constants(),
                (p, o, c) -> p + " " + o + " " + c);
        Gen<String> function = pick(List.of("IS_DEFINED", "IS_NULL", "IS_NUMBER", "IS_STRING", "IS_BOOL", "IS_OBJECT",
                "STARTSWITH", "ENDSWITH", "CONTAINS", "NO_SUCH_FUNCTION")).zip(paths(), constants(), range(0, 3),
                (f, p, c, arity) -> f + "(" + String.join(", ", List.of(p, c, p).subList(0, arity)) + ")");
        Gen<String> arithmetic = paths().zip(pick(List.of("*", "/", "%", "+", "-")), constants(),
                pick(List.of("=", ">", "<")), constants(),
                (p, o, c, cmp, d) -> p + " " + o + " " + c + " " + cmp + " " + d);
        Gen<String> membership = paths().zip(pick(List.of("IN", "NIN")), lists().of(constants()).ofSizeBetween(0, 3),
                (p, o, cs) -> p + " " + o + " [" + String.join(", ", cs) + "]");
        Gen<String> leaf = oneOf(comparison, function, arithmetic, membership);
        if (depth >= 3) {
            return leaf;
        }
        // built when drawn, so only the branches a case takes are made
        Gen<String> deeper = source -> conditions(depth + 1).generate(source);
        return frequency(List.of(
                Pair.of(4, leaf),
                Pair.of(1, deeper.map(c -> "NOT " + c)),
                Pair.of(1, deeper.map(c -> "(" + c + ")")),
                Pair.of(2, deeper.zip(pick(List.of("AND", "OR")), deeper, (a, o, b) -> a + " " + o + " " + b))));
    }

    /** {@code *} a quarter of the time, else one to three items: paths, aliased paths, COUNT() or aggregates. */
    private static Gen<String> selections() {
        Gen<String> item = oneOf(paths(),
                paths().map(p -> p + " AS x"),
                constant("COUNT() AS n"),
                pick(List.of("SUM", "AVG", "MIN", "MAX")).zip(paths(), (f, p) -> f + "(" + p + ")"),
                pick(List.of("SUM", "AVG")).map(f -> f + "(properties.reported.huge) AS s"));
        return frequency(List.of(Pair.of(1, constant("*")),
                Pair.of(3, lists().of(item).ofSizeBetween(1, 3).map(items -> String.join(", ", items)))));
    }

    /** A query of the grammar's pieces: SELECT [TOP n] … FROM … [WHERE …] [GROUP BY …]. */
    private static Gen<String> queries() {
        // the pieces the hub refuses (a negative or huge TOP, other collections) are rarer, so most texts get as far
        // as running against the stored twins
        Gen<String> top = frequency(List.of(Pair.of(8, constant("")),
                Pair.of(4, pick(List.of("TOP 0 ", "TOP 1 ", "TOP 3 "))),
                Pair.of(1, pick(List.of("TOP 99999999999999999999 ", "TOP -1 ")))));
        Gen<String> collection = frequency(List.of(Pair.of(12, pick(List.of("devices", "DEVICES"))),
                Pair.of(1, pick(List.of("devices.modules", "twins")))));
        Gen<String> where = frequency(List.of(Pair.of(1, constant("")),
                Pair.of(3, conditions(0).map(c -> " WHERE " + c))));
        Gen<String> groupBy = frequency(List.of(Pair.of(4, constant("")),
                Pair.of(1, paths().map(p -> " GROUP BY " + p))));
        return top.zip(selections(), collection, where, groupBy,
                (t, sel, c, w, g) -> "SELECT " + t + sel + " FROM " + c + w + g);
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

    /**
     * A query; twice in three as built, once in three with one or two characters deleted, inserted (quotes,
     * brackets, NUL, a lone surrogate…) or the text cut there; half the time with a page size of 1, 2 or 100.
     */
    private static Gen<Attempt> attempts() {
        Gen<TextMutation> mutation = range(0, 2).zip(range(0, 1000), pick(List.of('\'', '"', '(', ')', '[', ']', '.',
                ',', '*', '-', '$', '\\', ' ', '\u0000', '\n', '\u00e9', '\ud800', '0', 'x')), TextMutation::new);
        Gen<List<TextMutation>> mutations = frequency(List.of(
                Pair.of(2, constant(List.<TextMutation>of())),
                Pair.of(1, lists().of(mutation).ofSizeBetween(1, 2))));
        return queries().zip(mutations, pick(List.of(1, 2, 100)).toOptionals(50), Attempt::new);
    }

    /**
     * 300 query texts (at most 3 seconds of them) are answered within the bound, without a 5xx, in strict JSON, a
     * JSON array on success and on the next page. About a quarter are answered with 200 and the rest refused with
     * 400; at least a tenth and a third, so the texts reach both the evaluator and the parser's errors.
     */
    @Test
    void every_query_text_is_answered_in_strict_json_without_a_server_error() {
        Coverage statuses = new Coverage("the hub answers");
        PropertyRun.forAll(300, 3, attempts(), attempt -> run(attempt, statuses));
        statuses.assertAtLeast(200, 10).assertAtLeast(400, 33);
    }

    private static void run(Attempt attempt, Coverage statuses) throws Exception {
        ServiceRestClient rest = attacked.rest();

        HttpResponse<byte[]> page = query(rest, attempt.text(), attempt.pageSize(), null);

        JsonElement body = HubReplies.assertWellFormed(page);
        statuses.count(page.statusCode());
        if (page.statusCode() == 200) {
            assertThat(body != null && body.isJsonArray()).as("a JSON array: %s", HubReplies.text(page)).isTrue();
            Optional<String> continuation = page.headers().firstValue("x-ms-continuation");
            if (continuation.isPresent()) {
                HttpResponse<byte[]> next = query(rest, attempt.text(), attempt.pageSize(), continuation.get());
                JsonElement nextBody = HubReplies.assertWellFormed(next);
                if (next.statusCode() == 400 && HubReplies.text(next).contains("is out of range")) {
                    return; // a SUM or AVG past a double is refused on the page holding its group, as documented
                }
                assertThat(next.statusCode()).as(HubReplies.text(next)).isEqualTo(200);
                assertThat(nextBody.isJsonArray()).as(HubReplies.text(next)).isTrue();
            }
        }
    }

    /** The name parts a dashed name is made of: short words, and parts that would lex as numbers or keywords alone. */
    private static Gen<String> nameParts() {
        Gen<String> word = lists().of(pick(List.of('a', 'B', 'z', 'e', 'x', '0', '1', '9', '_')))
                .ofSizeBetween(1, 6).map(chars -> chars.stream().map(String::valueOf).collect(Collectors.joining()));
        return oneOf(word, pick(List.of("1e23", "4123", "0x1F", "123456789012", "1", "select", "AND", "from", "e5")));
    }

    /**
     * A name with one to four dashes, each between name characters: a head that may start a name, then dashed parts;
     * a fifth of the time "KeyQuery" and a UUID, as the Java SDK's e2e tests name their desired properties.
     */
    private static Gen<String> dashedNames() {
        Gen<String> built = pick(List.of("a", "KeyQuery", "_x", "Z9", "count", "m")).zip(
                lists().of(nameParts()).ofSizeBetween(1, 4), (head, parts) -> head + "-" + String.join("-", parts));
        Gen<String> uuid = longs().all().zip(longs().all(), (high, low) -> "KeyQuery" + new UUID(high, low));
        return frequency(List.of(Pair.of(4, built), Pair.of(1, uuid)));
    }

    /**
     * Dashed names round-trip: a desired property of that name, written without brackets, is grouped by and
     * counted under its own name as alias, and found by comparing it with its value, as in the SDK's e2e tests.
     */
    @Test
    void a_property_with_a_dashed_name_is_selected_aliased_grouped_and_compared_without_brackets() {
        PropertyRun.forAll(100, 4, dashedNames(), name -> {
            ServiceRestClient rest = attacked.rest();
            String value = "ValueQuery:" + name;
            patchDesired(rest, "{\"" + name + "\":\"" + value + "\"}");
            try {
                String path = "properties.desired." + name;
                JsonObject group = new JsonObject();
                group.addProperty(name, value);
                group.addProperty("numberOfDevices", 1);

                assertThat(rows(rest, "SELECT " + path + " AS " + name + ", COUNT() AS numberOfDevices FROM devices "
                        + "WHERE deviceId = '" + DASHES + "' GROUP BY " + path)).containsExactly(group);
                assertThat(rows(rest, "SELECT deviceId FROM devices WHERE " + path + " = '" + value + "'"))
                        .containsExactly(JsonParser.parseString("{\"deviceId\":\"" + DASHES + "\"}"));
                assertThat(rows(rest, "SELECT deviceId FROM devices WHERE is_defined(" + path + ")"))
                        .containsExactly(JsonParser.parseString("{\"deviceId\":\"" + DASHES + "\"}"));
            } finally {
                patchDesired(rest, "{\"" + name + "\":null}");
            }
        });
    }

    /** Left of a dash: names after a dot (where a dash may join), and operands after which a dash always subtracts. */
    private static final List<String> BEFORE_DASH = List.of("properties.desired.n", "properties.desired.$version",
            "properties.desired['n']", "(properties.desired.n)", "version", "5");

    /** Right of a dash: what may carry on a name (a letter or digit first), and what never can. */
    private static final List<String> AFTER_DASH = List.of("1", "b", "0x1", "1e0", "(1)", ".5", "'x'", "-1");

    private static final Pattern ENDS_WITH_MEMBER_NAME = Pattern.compile("(.*)\\.([a-z_$][a-z0-9_$]*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern STARTS_A_NAME_PART = Pattern.compile("[a-z0-9_$].*", Pattern.CASE_INSENSITIVE);

    record DashSpelling(String left, String spaceBefore, String spaceAfter, String right, String comparison) {
        String text() {
            return left + spaceBefore + "-" + spaceAfter + right + comparison;
        }

        /** The rule: a dash between a name after a dot and a name character, touching both, joins them. */
        boolean joinsName() {
            return ENDS_WITH_MEMBER_NAME.matcher(left).matches() && spaceBefore.isEmpty() && spaceAfter.isEmpty()
                    && STARTS_A_NAME_PART.matcher(right).matches();
        }

        /** The same condition with its reading made explicit: a bracketed name, or parenthesized operands. */
        String meant() {
            if (!joinsName()) {
                return "(" + left + ") - (" + right + ")" + comparison;
            }
            Matcher member = ENDS_WITH_MEMBER_NAME.matcher(left);
            member.matches();
            return member.group(1) + "['" + member.group(2) + "-" + right + "']" + comparison;
        }
    }

    /**
     * Nothing that used to be subtraction changes meaning, and a dash that now joins a name means that name: every
     * spelling of {@code left - right} (with or without a space or line break on either side of the dash) selects
     * what its explicit form selects, the bracketed name where the rule joins, the parenthesized subtraction
     * elsewhere. The twin holds {@code n = 5} next to {@code n-1}, {@code n-b} and {@code n-0x1}, so the readings
     * differ. Half the cases are a dash that touches a name after a dot and a name character: the ones that join.
     */
    @Test
    void every_spelling_of_a_dash_selects_what_its_reading_selects() {
        Gen<String> space = pick(List.of("", "", " ", "\n"));
        Gen<String> comparison = pick(List.of(" > 0", " > 0", " > 0", " = 4", " = 7", " = 3", " = 11", " = 4.5"));
        Gen<DashSpelling> anySpelling = pick(BEFORE_DASH).zip(space, space, pick(AFTER_DASH), comparison,
                DashSpelling::new);
        Gen<DashSpelling> touching = pick(List.of("properties.desired.n", "properties.desired.n",
                "properties.desired.$version")).zip(pick(List.of("1", "b", "0x1", "1e0")), comparison,
                (left, right, compared) -> new DashSpelling(left, "", "", right, compared));
        Coverage readings = new Coverage("the condition");
        PropertyRun.forAll(150, 5, frequency(List.of(Pair.of(1, anySpelling), Pair.of(1, touching))), spelling -> {
            ServiceRestClient rest = attacked.rest();
            String scope = "SELECT deviceId FROM devices WHERE deviceId = '" + DASHES + "' AND ";

            HttpResponse<byte[]> written = query(rest, scope + spelling.text(), Optional.empty(), null);
            HttpResponse<byte[]> meant = query(rest, scope + spelling.meant(), Optional.empty(), null);

            String what = spelling.text() + ", read as " + spelling.meant();
            assertThat(written.statusCode()).as("%s: %s", what, HubReplies.text(written)).isEqualTo(200);
            assertThat(meant.statusCode()).as("%s: %s", what, HubReplies.text(meant)).isEqualTo(200);
            JsonElement rows = HubReplies.assertWellFormed(written);
            assertThat(rows).as(what).isEqualTo(HubReplies.assertWellFormed(meant));
            readings.count((spelling.joinsName() ? "name" : "subtraction")
                    + (rows.getAsJsonArray().isEmpty() ? ", nothing" : ", selects"));
        });
        readings.assertAtLeast("name, selects", 3).assertAtLeast("name, nothing", 5)
                .assertAtLeast("subtraction, selects", 5).assertAtLeast("subtraction, nothing", 10);
    }

    private static void patchDesired(ServiceRestClient rest, String desired) throws Exception {
        HttpResponse<String> patched = rest.send("PATCH", "/twins/" + DASHES,
                "{\"properties\":{\"desired\":" + desired + "}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    }

    /** The rows of a query that must succeed on one page. */
    private static List<JsonElement> rows(ServiceRestClient rest, String text) throws Exception {
        HttpResponse<byte[]> page = query(rest, text, Optional.empty(), null);
        JsonElement body = HubReplies.assertWellFormed(page);
        assertThat(page.statusCode()).as("%s: %s", text, HubReplies.text(page)).isEqualTo(200);
        assertThat(page.headers().firstValue("x-ms-continuation")).as(text).isEmpty();
        List<JsonElement> rows = new ArrayList<>();
        body.getAsJsonArray().forEach(rows::add);
        return rows;
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
