package lab.devicetwins.localhub.query;

import static lab.devicetwins.localhub.query.TwinDocument.twin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Numbers at the ends of their range in aggregates and conditions. Every body the hub sends is JSON, which has no
 * Infinity or NaN: an aggregate beyond the range of a double is refused, a stored number beyond it is sent as stored.
 */
class TwinQueryNumberRangeTest {

    private final TwinQueryEngine engine = new TwinQueryEngine();

    private static TwinTable fleet(String... reportedValues) {
        TwinTable table = new TwinTable();
        for (int i = 0; i < reportedValues.length; i++) {
            table.put(twin("d" + i).with("tags.plant", i % 2 == 0 ? "even" : "odd")
                    .with("properties.reported.x", JsonParser.parseString(reportedValues[i])).json());
        }
        return table;
    }

    private QueryPage run(TwinTable table, String query) {
        return engine.execute(table, query, null, null);
    }

    /** The body as the endpoint writes it, read back by a parser that accepts only standard JSON. */
    private static String strictJson(QueryPage page) throws Exception {
        JsonArray body = new JsonArray();
        page.items().forEach(body::add);
        JsonReader reader = new JsonReader(new StringReader(body.toString()));
        reader.setStrictness(Strictness.STRICT);
        return JsonParser.parseReader(reader).toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            SUM | 1e308, 1e308
            AVG | 1e308, 1e308
            SUM | -1.7e308, -1e308, 5
            SUM | 1e400
            AVG | 1e400, -1e400
            """)
    void a_sum_or_average_beyond_the_range_of_a_double_is_refused_as_out_of_range(String function, String values) {
        TwinTable table = fleet(values.split(", "));

        assertThatThrownBy(() -> run(table, "SELECT " + function + "(properties.reported.x) AS v FROM devices"))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID))
                .hasMessageStartingWith(function + "(properties.reported.x) is out of range")
                .hasMessageContaining("narrow the WHERE condition");
    }

    @Test
    void only_the_page_that_holds_an_out_of_range_group_is_refused() {
        TwinTable table = fleet("1", "1e308", "2", "1e308");
        String query = "SELECT tags.plant AS plant, SUM(properties.reported.x) AS total FROM devices GROUP BY tags.plant";

        QueryPage even = engine.execute(table, query, 1, null);

        assertThat(even.items()).hasToString("[{\"plant\":\"even\",\"total\":3}]");
        assertThatThrownBy(() -> engine.execute(table, query, 1, even.continuationToken().orElseThrow()))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID));
    }

    @Test
    void a_sum_just_inside_the_range_is_sent() throws Exception {
        TwinTable table = fleet("1e308", "7e307");

        assertThat(strictJson(run(table, "SELECT SUM(properties.reported.x) AS s, AVG(properties.reported.x) AS a "
                + "FROM devices"))).isEqualTo("[{\"s\":1.7E308,\"a\":8.5E307}]");
    }

    @Test
    void min_and_max_of_a_stored_number_beyond_a_double_send_it_as_stored() throws Exception {
        TwinTable table = fleet("1e400", "-2e400", "5");

        assertThat(strictJson(run(table, "SELECT MIN(properties.reported.x) AS lo, MAX(properties.reported.x) AS hi "
                + "FROM devices"))).isEqualTo("[{\"lo\":-2e400,\"hi\":1e400}]");
        assertThat(strictJson(run(table, "SELECT properties.reported.x FROM devices WHERE properties.reported.x > 5")))
                .isEqualTo("[{\"x\":1e400}]");
    }

    @Test
    void projections_and_group_values_send_stored_numbers_as_written() {
        TwinTable table = fleet("1.50", "1E2", "-0", "12345678901234567890");

        assertThat(run(table, "SELECT properties.reported.x FROM devices").items())
                .hasToString("[{\"x\":1.50}, {\"x\":1E2}, {\"x\":-0}, {\"x\":12345678901234567890}]");
        assertThat(run(table, "SELECT properties.reported.x, COUNT() AS n FROM devices GROUP BY properties.reported.x")
                .items()).hasToString("[{\"x\":-0,\"n\":1}, {\"x\":1.50,\"n\":1}, {\"x\":12345678901234567890,\"n\":1}, "
                + "{\"x\":1E2,\"n\":1}]");
    }

    @Test
    void a_whole_sum_stays_exact_beyond_the_integers_a_double_holds() {
        TwinTable table = fleet("4503599627370495", "4503599627370495", "3");

        assertThat(run(table, "SELECT SUM(properties.reported.x) AS s FROM devices").items())
                .hasToString("[{\"s\":9007199254740993}]");
    }

    @Test
    void a_whole_sum_beyond_the_range_of_a_long_carries_on_as_a_decimal() {
        TwinTable table = fleet("9223372036854775807", "1");

        assertThat(run(table, "SELECT SUM(properties.reported.x) AS s FROM devices").items())
                .hasToString("[{\"s\":9.223372036854776E18}]");
    }

    @Test
    void sums_of_decimals_are_compensated_like_the_earlier_sql_engine() {
        TwinTable table = fleet("0.1", "0.2", "0.3");

        assertThat(run(table, "SELECT SUM(properties.reported.x) AS s, AVG(properties.reported.x) AS a FROM devices")
                .items()).hasToString("[{\"s\":0.6,\"a\":0.19999999999999998}]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            (properties.reported.x / 0) NIN []
            NOT ((properties.reported.x / 0) IN [])
            SQRT(-1 - properties.reported.x) NIN []
            AS_NUMBER(tags.plant) NIN []
            IS_NUMBER(properties.reported.x / 0)
            IS_PRIMITIVE(properties.reported.x % 0)
            """)
    void a_computation_without_a_value_is_undefined_everywhere(String condition) {
        TwinTable table = fleet("1", "2.5");

        assertThat(run(table, "SELECT * FROM devices WHERE " + condition).items()).isEmpty();
    }

    @Test
    void integer_arithmetic_that_leaves_the_long_range_continues_in_decimals() {
        TwinTable table = fleet("9223372036854775807", "-9223372036854775807");

        assertThat(run(table, "SELECT deviceId FROM devices WHERE properties.reported.x + 1 > 9223372036854775807")
                .items()).hasToString("[{\"deviceId\":\"d0\"}]");
        assertThat(run(table, "SELECT deviceId FROM devices WHERE ABS(properties.reported.x - 1) = 9.223372036854775808e18")
                .items()).hasToString("[{\"deviceId\":\"d1\"}]");
        assertThat(run(table, "SELECT deviceId FROM devices WHERE properties.reported.x * -1 = -9223372036854775807")
                .items()).hasToString("[{\"deviceId\":\"d0\"}]");
    }

    @Test
    void conditions_nested_up_to_the_limit_are_answered_however_often_they_repeat_a_value() {
        TwinTable table = fleet("1", "2");
        int levels = QueryTreeBuilder.MAX_EXPRESSION_DEPTH / 2 - 1;
        String condition = "(".repeat(levels) + "properties.reported.x = 1" + ") = true".repeat(levels);

        assertThat(run(table, "SELECT deviceId FROM devices WHERE " + condition).items())
                .hasToString("[{\"deviceId\":\"d0\"}]");
    }
}
