package lab.devicetwins.localhub.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever a client sends as query text, page size or continuation token, the hub answers with pages of valid JSON
 * or refuses with 400 ArgumentInvalid: never another exception, never a stack overflow. Each property runs a few
 * hundred small cases over a fleet of a dozen twins, well under a second or two.
 */
class TwinQueryRobustnessTest {

    private static final List<String> FRAGMENTS = List.of(
            "(", ")", "[", "]", "'", "\"", "\\", ",", ".", "*", "-", "+", "/", "%", "=", "!=", "<>", "<", ">=",
            "AND", "OR", "NOT", "IN", "NIN", "AS", "TOP", "SELECT", "FROM", "WHERE", "GROUP BY", "COUNT()",
            "SUM(", "IS_DEFINED(", "SUBSTRING(", "0x", "0xFFFFFFFFFFFFFFFFFF", "1e", "1e99999", "99999999999999999999",
            ".5", "$", "$1", "undefined", "null", "true", "'\\u00", "\\u0041", "\u00e9", "\ud83d\ude00", "\u0000",
            "\n", "\t", " ", "devices.modules", "tags[", "['a.b']", "[\"x\"]", "properties.reported.", "@", "#", ";");

    private static TwinTable fleet;
    private final TwinQueryEngine engine = new TwinQueryEngine();

    @BeforeContainer
    static void fill_the_fleet() {
        fleet = new TwinTable();
        RandomTwins.fixedFleet().forEach(fleet::put);
    }

    /** Runs every page of a query (at most a few) and checks the outcome is allowed: true when it was answered. */
    private boolean answeredOrRefused(String query, int pageSize, String firstToken) {
        try {
            String token = firstToken;
            for (int page = 0; page < 4 && (page == 0 || token != null); page++) {
                QueryPage result = engine.execute(fleet, query, pageSize, token);
                assertThat(strictJson(result.items())).isNotNull();
                token = result.continuationToken().orElse(null);
            }
            return true;
        } catch (HubException refused) {
            assertThat(refused.errorCode()).as(refused.getMessage()).isEqualTo(HubErrorCode.ARGUMENT_INVALID);
            return false;
        }
    }

    /** Counts answers and refusals, and checks each share is at least what makes the property worth running. */
    private static void recordOutcome(boolean answered, double minimumAnsweredPercent, double minimumRefusedPercent) {
        Statistics.label("outcome").collect(answered ? "answered" : "refused");
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("answered").percentage(p -> p >= minimumAnsweredPercent);
            coverage.check("refused").percentage(p -> p >= minimumRefusedPercent);
        });
    }

    /** The body as the endpoint writes it, read back by a parser that accepts only standard JSON. */
    private static String strictJson(List<JsonObject> items) {
        JsonArray body = new JsonArray();
        items.forEach(body::add);
        JsonReader reader = new JsonReader(new StringReader(body.toString()));
        reader.setStrictness(Strictness.STRICT);
        return JsonParser.parseReader(reader).toString();
    }

    @Provide
    Arbitrary<String> grammaticalQueries() {
        return QueryGrammar.query(3);
    }

    @Property(tries = 300)
    void queries_built_from_the_grammar_are_answered_or_refused_as_invalid(
            @ForAll("grammaticalQueries") String query, @ForAll @IntRange(min = 1, max = 5) int pageSize) {
        recordOutcome(answeredOrRefused(query, pageSize, null), 90, 0);
    }

    /** One edit: at a relative position, delete up to a few characters and insert a fragment. */
    private record Edit(double at, int delete, String insert) {
        String applyTo(String text) {
            int start = (int) (at * text.length());
            int end = Math.min(text.length(), start + delete);
            return text.substring(0, start) + insert + text.substring(end);
        }
    }

    @Provide
    Arbitrary<String> mutatedQueries() {
        Arbitrary<Edit> edit = Combinators.combine(
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 3),
                Arbitraries.oneOf(Arbitraries.of(FRAGMENTS), Arbitraries.just(""),
                        Arbitraries.strings().all().ofMaxLength(3))).as(Edit::new);
        return Combinators.combine(QueryGrammar.query(2), edit.list().ofMinSize(1).ofMaxSize(3))
                .as((query, edits) -> {
                    String text = query;
                    for (Edit e : edits) {
                        text = e.applyTo(text);
                    }
                    return text;
                });
    }

    @Property(tries = 400)
    void mutated_queries_are_answered_or_refused_as_invalid(@ForAll("mutatedQueries") String query,
                                                            @ForAll @IntRange(min = 1, max = 5) int pageSize) {
        recordOutcome(answeredOrRefused(query, pageSize, null), 1, 50);
    }

    @Provide
    Arbitrary<String> deeplyNestedQueries() {
        Arbitrary<String> opening = Arbitraries.of("(", "NOT ", "-", "ABS(", "IS_DEFINED(", "CONCAT('a', ", "[", "+");
        return Combinators.combine(opening, Arbitraries.integers().between(1, 4500),
                        Arbitraries.of("tags.t", "1", "'a'", "true", "[1]"))
                .as((open, depth, inner) -> {
                    String closing = open.endsWith("(") || open.endsWith(", ") ? ")" : open.equals("[") ? "]" : "";
                    String condition = open.repeat(depth) + inner + closing.repeat(depth);
                    return open.equals("[")
                            ? "SELECT * FROM devices WHERE tags.t IN " + condition
                            : "SELECT * FROM devices WHERE " + condition;
                });
    }

    @Property(tries = 100)
    void nesting_of_any_kind_and_depth_is_answered_or_refused_as_invalid(@ForAll("deeplyNestedQueries") String query) {
        recordOutcome(answeredOrRefused(query, 10, null), 10, 10);
    }

    @Example
    void the_deepest_nesting_that_fits_the_length_limit_is_answered_or_refused_as_invalid() {
        for (String open : List.of("(", "[", "NOT ", "-")) {
            String head = "SELECT * FROM devices WHERE " + (open.equals("[") ? "tags.t IN " : "");
            String close = open.equals("(") ? ")" : open.equals("[") ? "]" : "";
            int depth = (TwinQuery.MAX_LENGTH - head.length() - 1) / (open.length() + close.length());
            answeredOrRefused(head + open.repeat(depth) + "1" + close.repeat(depth), 10, null);
        }
    }

    @Provide
    Arbitrary<String> tokens() {
        Arbitrary<String> numbers = Arbitraries.of("0", "1", "-1", "1.5", "2147483648", "1e400", "1e99999", "\"3\"",
                "null", "[]", "{}", "true", "00", "-0");
        Arbitrary<String> strings = Arbitraries.of("\"\"", "\"device-1\"", "\"1\\\"plant\\\"\"", "null", "7", "[\"x\"]");
        Arbitrary<String> forged = Combinators.combine(Arbitraries.of(fingerprints()), strings, numbers)
                .as((q, k, n) -> base64("{\"q\":" + q + ",\"k\":" + k + ",\"n\":" + n + "}"));
        Arbitrary<String> nested = Arbitraries.integers().between(1, 3000).map(depth -> base64("[".repeat(depth)));
        return Arbitraries.frequencyOf(Tuple.of(6, forged), Tuple.of(1, nested),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(40)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(60).map(TwinQueryRobustnessTest::base64)));
    }

    /** The fingerprint of the query the property runs, as a token for it would carry, and some that are not. */
    private static List<String> fingerprints() {
        String token = new TwinQueryEngine().execute(fleet, TOKEN_QUERY, 1, null).continuationToken().orElseThrow();
        String valid = JsonParser.parseString(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8))
                .getAsJsonObject().get("q").toString();
        return List.of(valid, valid, "\"\"", "1", "null", "{}");
    }

    private static final String TOKEN_QUERY = "SELECT * FROM devices";

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void any_continuation_token_is_followed_or_refused_as_invalid(@ForAll("tokens") String token,
                                                                 @ForAll @IntRange(min = 1, max = 5) int pageSize) {
        recordOutcome(answeredOrRefused(TOKEN_QUERY, pageSize, token), 1, 50);
    }

    @Property(tries = 200)
    void any_text_at_all_is_answered_or_refused_as_invalid(@ForAll String text) {
        answeredOrRefused(text, 5, null);
        recordOutcome(answeredOrRefused("SELECT * FROM devices WHERE " + text, 5, null), 0, 90);
    }
}
