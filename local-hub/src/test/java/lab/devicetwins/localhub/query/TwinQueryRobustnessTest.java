package lab.devicetwins.localhub.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.oneOf;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;

/**
 * Whatever a client sends as query text, page size or continuation token, the hub answers with pages of valid JSON
 * or refuses with 400 ArgumentInvalid: never another exception, never a stack overflow. Each property runs a few
 * hundred small cases over a fleet of a dozen twins, well under a second or two, and stops early at a time limit
 * on a slow machine. QuickTheories draws the cases from a run seed that changes every run; a failure prints it
 * ("Seed was N") and {@code -Dquery.seed=N} replays it.
 */
class TwinQueryRobustnessTest {

    private static final long RUN_SEED = Long.getLong("query.seed", new Random().nextLong());
    private static final int SHRINK_STEPS = 2000;

    private static final List<String> FRAGMENTS = List.of(
            "(", ")", "[", "]", "'", "\"", "\\", ",", ".", "*", "-", "+", "/", "%", "=", "!=", "<>", "<", ">=",
            "AND", "OR", "NOT", "IN", "NIN", "AS", "TOP", "SELECT", "FROM", "WHERE", "GROUP BY", "COUNT()",
            "SUM(", "IS_DEFINED(", "SUBSTRING(", "0x", "0xFFFFFFFFFFFFFFFFFF", "1e", "1e99999", "99999999999999999999",
            ".5", "$", "$1", "undefined", "null", "true", "'\\u00", "\\u0041", "\u00e9", "\ud83d\ude00", "\u0000",
            "\n", "\t", " ", "devices.modules", "tags[", "['a.b']", "[\"x\"]", "properties.reported.", "@", "#", ";");

    private static TwinTable fleet;
    private final TwinQueryEngine engine = new TwinQueryEngine();

    @BeforeAll
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

    /**
     * At most {@code tries} cases, fewer if they take more than {@code seconds}, all drawn from the run seed. A
     * failure is shrunk for a bounded number of steps: QuickTheories' default of 100,000 could take minutes here.
     */
    private static QuickTheory cases(int tries, long seconds) {
        return qt().withFixedSeed(RUN_SEED).withExamples(tries).withTestingTime(seconds, TimeUnit.SECONDS)
                .withShrinkCycles(SHRINK_STEPS);
    }

    /**
     * Answers and refusals over one property's cases, checked after the run against the shares that make the
     * property worth running: a property whose cases are all refused, say, never reaches the evaluator.
     */
    private static final class Outcomes {
        private int answered;
        private int refused;

        void record(boolean wasAnswered) {
            if (wasAnswered) {
                answered++;
            } else {
                refused++;
            }
        }

        void assertShares(double minimumAnsweredPercent, double minimumRefusedPercent) {
            int total = answered + refused;
            assertThat(answered * 100.0 / total)
                    .as("percent of %d cases answered, run seed %d", total, RUN_SEED)
                    .isGreaterThanOrEqualTo(minimumAnsweredPercent);
            assertThat(refused * 100.0 / total)
                    .as("percent of %d cases refused, run seed %d", total, RUN_SEED)
                    .isGreaterThanOrEqualTo(minimumRefusedPercent);
        }
    }

    /** The body as the endpoint writes it, read back by a parser that accepts only standard JSON. */
    private static String strictJson(List<JsonObject> items) {
        JsonArray body = new JsonArray();
        items.forEach(body::add);
        JsonReader reader = new JsonReader(new StringReader(body.toString()));
        reader.setStrictness(Strictness.STRICT);
        return JsonParser.parseReader(reader).toString();
    }

    /** Any text of up to {@code maxLength} UTF-16 units, each any char: NUL, controls and lone surrogates too. */
    private static Gen<String> anyText(int maxLength) {
        return lists().of(range(Character.MIN_VALUE, Character.MAX_VALUE)).ofSizeBetween(0, maxLength).map(units -> {
            StringBuilder text = new StringBuilder(units.size());
            units.forEach(unit -> text.append((char) unit.intValue()));
            return text.toString();
        });
    }

    /** Page sizes a client may ask for; small, so the queries run over several pages of the dozen twins. */
    private static Gen<Integer> pageSizes() {
        return integers().between(1, 5);
    }

    /**
     * 300 queries from the grammar (at most 2 seconds of them) are answered or refused as invalid, and at least
     * 90% are answered: the grammar mostly builds queries the hub evaluates.
     */
    @Test
    void queries_built_from_the_grammar_are_answered_or_refused_as_invalid() {
        Outcomes outcomes = new Outcomes();
        cases(300, 2).forAll(QueryGrammar.query(3), pageSizes())
                .checkAssert((query, pageSize) -> outcomes.record(answeredOrRefused(query, pageSize, null)));
        outcomes.assertShares(90, 0);
    }

    /** One edit: at a relative position, delete up to a few characters and insert a fragment. */
    private record Edit(double at, int delete, String insert) {
        String applyTo(String text) {
            int start = (int) (at * text.length());
            int end = Math.min(text.length(), start + delete);
            return text.substring(0, start) + insert + text.substring(end);
        }
    }

    /**
     * Grammatical queries with one to three edits, each deleting up to three characters and inserting a fragment
     * of the language, nothing, or up to three arbitrary chars (a third of the time each).
     */
    private static Gen<String> mutatedQueries() {
        Gen<Edit> edit = doubles().between(0, 1).zip(integers().between(0, 3),
                oneOf(pick(FRAGMENTS), constant(""), anyText(3)), Edit::new);
        return QueryGrammar.query(2).zip(lists().of(edit).ofSizeBetween(1, 3), (query, edits) -> {
            String text = query;
            for (Edit e : edits) {
                text = e.applyTo(text);
            }
            return text;
        });
    }

    /**
     * 400 edited queries (at most 2 seconds of them) are answered or refused as invalid; at least half are refused,
     * so the edits reach the parser's error paths, and some are still answered.
     */
    @Test
    void mutated_queries_are_answered_or_refused_as_invalid() {
        Outcomes outcomes = new Outcomes();
        cases(400, 2).forAll(mutatedQueries(), pageSizes())
                .checkAssert((query, pageSize) -> outcomes.record(answeredOrRefused(query, pageSize, null)));
        outcomes.assertShares(1, 50);
    }

    /**
     * Nesting depths from 1 to {@code max}: the bound is first picked among 10, 100, 1000 and {@code max}, so
     * depths within the hub's nesting limit (answered) and beyond it (refused) both come up often.
     */
    private static Gen<Integer> depths(int max) {
        return pick(List.of(10, 100, 1000, max)).flatMap(bound -> range(1, bound));
    }

    /** Conditions of one kind of opening repeated up to 4500 times, closed as the kind requires. */
    private static Gen<String> deeplyNestedQueries() {
        Gen<String> opening = pick(List.of("(", "NOT ", "-", "ABS(", "IS_DEFINED(", "CONCAT('a', ", "[", "+"));
        return opening.zip(depths(4500), pick(List.of("tags.t", "1", "'a'", "true", "[1]")), (open, depth, inner) -> {
            String closing = open.endsWith("(") || open.endsWith(", ") ? ")" : open.equals("[") ? "]" : "";
            String condition = open.repeat(depth) + inner + closing.repeat(depth);
            return open.equals("[")
                    ? "SELECT * FROM devices WHERE tags.t IN " + condition
                    : "SELECT * FROM devices WHERE " + condition;
        });
    }

    /**
     * 100 deeply nested queries (at most 2 seconds of them) are answered or refused as invalid, never a stack
     * overflow; at least 10% of each outcome, so both sides of the nesting limit are tried.
     */
    @Test
    void nesting_of_any_kind_and_depth_is_answered_or_refused_as_invalid() {
        Outcomes outcomes = new Outcomes();
        cases(100, 2).forAll(deeplyNestedQueries())
                .checkAssert(query -> outcomes.record(answeredOrRefused(query, 10, null)));
        outcomes.assertShares(10, 10);
    }

    /** For each of four openings, as many levels as the longest query allowed holds: the worst case for the stack. */
    @Test
    void the_deepest_nesting_that_fits_the_length_limit_is_answered_or_refused_as_invalid() {
        for (String open : List.of("(", "[", "NOT ", "-")) {
            String head = "SELECT * FROM devices WHERE " + (open.equals("[") ? "tags.t IN " : "");
            String close = open.equals("(") ? ")" : open.equals("[") ? "]" : "";
            int depth = (TwinQuery.MAX_LENGTH - head.length() - 1) / (open.length() + close.length());
            answeredOrRefused(head + open.repeat(depth) + "1" + close.repeat(depth), 10, null);
        }
    }

    /**
     * Continuation tokens: six times in nine a forged token (a fingerprint, a last device id and a count), else
     * deeply nested JSON, arbitrary text, or arbitrary text in base64, once in nine each. Half the counts are whole
     * numbers a token of ours could carry: with only the odd ones about one token in fifty would be followed, too
     * few for the share of followed tokens to be checked without the check failing now and then.
     */
    private static Gen<String> tokens() {
        Gen<String> numbers = oneOf(range(0, 12).map(n -> Integer.toString(n)), pick(List.of("0", "1", "-1", "1.5",
                "2147483648", "1e400", "1e99999", "\"3\"", "null", "[]", "{}", "true", "00", "-0")));
        Gen<String> strings = pick(List.of("\"\"", "\"device-1\"", "\"1\\\"plant\\\"\"", "null", "7", "[\"x\"]"));
        Gen<String> forged = pick(fingerprints()).zip(strings, numbers,
                (q, k, n) -> base64("{\"q\":" + q + ",\"k\":" + k + ",\"n\":" + n + "}"));
        Gen<String> nested = depths(3000).map(depth -> base64("[".repeat(depth)));
        return frequency(List.of(Pair.of(6, forged), Pair.of(1, nested), Pair.of(1, anyText(40)),
                Pair.of(1, anyText(60).map(TwinQueryRobustnessTest::base64))));
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

    /**
     * 300 tokens (at most a second of them) are followed or refused as invalid; at least half are refused, so
     * forgery is tried, and some are followed, so the forged tokens are close enough to real ones to get through.
     */
    @Test
    void any_continuation_token_is_followed_or_refused_as_invalid() {
        Outcomes outcomes = new Outcomes();
        cases(300, 1).forAll(tokens(), pageSizes())
                .checkAssert((token, pageSize) -> outcomes.record(answeredOrRefused(TOKEN_QUERY, pageSize, token)));
        outcomes.assertShares(1, 50);
    }

    /**
     * 200 texts of up to 255 arbitrary chars (at most a second of them), as a whole query and as a condition, are
     * answered or refused as invalid; at least 90% of the conditions are refused, as random text should be.
     */
    @Test
    void any_text_at_all_is_answered_or_refused_as_invalid() {
        Outcomes outcomes = new Outcomes();
        cases(200, 1).forAll(anyText(255)).checkAssert(text -> {
            answeredOrRefused(text, 5, null);
            outcomes.record(answeredOrRefused("SELECT * FROM devices WHERE " + text, 5, null));
        });
        outcomes.assertShares(0, 90);
    }
}
