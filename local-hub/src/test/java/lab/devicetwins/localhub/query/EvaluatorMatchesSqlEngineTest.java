package lab.devicetwins.localhub.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.IntRange;

/**
 * The in-memory evaluator answers every query exactly as the SQL engine it replaces, page by page, token by token.
 * Kept only while both engines exist.
 */
class EvaluatorMatchesSqlEngineTest {

    private final TwinQueryEngine engine = new TwinQueryEngine();

    @Provide
    Arbitrary<List<JsonObject>> fleets() {
        return RandomTwins.fleet(15);
    }

    @Provide
    Arbitrary<String> queries() {
        return QueryGrammar.query(3);
    }

    @Property(tries = 500, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void both_engines_send_the_same_pages(@ForAll("fleets") List<JsonObject> twins, @ForAll("queries") String query,
                                          @ForAll @IntRange(min = 1, max = 4) int pageSize) throws SQLException {
        List<String> sql;
        try (TwinTable table = new TwinTable()) {
            for (JsonObject twin : twins) {
                table.put(twin);
            }
            sql = pages(token -> engine.execute(table.connection(), query, pageSize, token));
        }
        Assume.that(sql != null);
        List<String> evaluated = pages(token -> engine.execute(
                TwinSource.of(twins.stream().map(QueryRow::of).toList()), query, pageSize, token));

        net.jqwik.api.statistics.Statistics.label("outcome").collect(sql.get(0).startsWith("error") ? "error"
                : sql.get(0).startsWith("[]") ? "empty" : "rows");
        net.jqwik.api.statistics.Statistics.label("kind").collect(query.contains("SUM(") || query.contains("COUNT(") || query.contains("MIN(") || query.contains("MAX(") || query.contains("AVG(") ? "aggregate" : query.contains("*") ? "star" : "projection");
        assertThat(evaluated).isEqualTo(sql);
    }

    @Provide
    Arbitrary<String> conditions() {
        return Arbitraries.oneOf(QueryGrammar.expression(1), QueryGrammar.expression(2), QueryGrammar.expression(3),
                QueryGrammar.expression(4));
    }

    @Property(tries = 1000, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void both_engines_select_the_same_twins(@ForAll("fleets") List<JsonObject> twins,
                                            @ForAll("conditions") String condition) throws SQLException {
        String query = "SELECT deviceId, properties.reported.a FROM devices WHERE " + condition;
        List<String> sql;
        try (TwinTable table = new TwinTable()) {
            for (JsonObject twin : twins) {
                table.put(twin);
            }
            sql = pages(token -> engine.execute(table.connection(), query, 100, token));
        }
        Assume.that(sql != null);
        List<String> evaluated = pages(token -> engine.execute(
                TwinSource.of(twins.stream().map(QueryRow::of).toList()), query, 100, token));
        net.jqwik.api.statistics.Statistics.label("selected").collect(sql.get(0).startsWith("[]") ? "none"
                : sql.get(0).split("deviceId").length - 1 == twins.size() ? "all" : "some");
        assertThat(evaluated).isEqualTo(sql);
    }

    /** Every page as text (items, token), or the error; null when the SQL engine failed in a way not kept. */
    private static List<String> pages(java.util.function.Function<String, QueryPage> run) {
        List<String> pages = new ArrayList<>();
        String token = null;
        try {
            do {
                QueryPage page = run.apply(token);
                pages.add(page.items() + " " + page.continuationToken().orElse("-") + " " + page.itemType());
                token = page.continuationToken().orElse(null);
            } while (token != null);
        } catch (HubException e) {
            if (e.errorCode() == HubErrorCode.SERVER_ERROR || e.getMessage().contains("too complex")) {
                return null;
            }
            pages.add("error " + e.errorCode() + " " + e.getMessage());
        }
        return pages;
    }
}
