package lab.devicetwins.localhub.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TwinQueryParseTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "SELECT * FROM devices",
            "select * from devices",
            "SELECT TOP 10 * FROM devices",
            "SELECT * FROM devices WHERE tags.location.region = 'US'",
            "SELECT * FROM devices WHERE tags.location.region = 'US' AND properties.reported.telemetryConfig.sendFrequencyInSecs >= 60",
            "SELECT * FROM devices WHERE properties.reported.connectivity IN ['wired', 'wifi']",
            "SELECT * FROM devices WHERE properties.reported.connectivity NIN ['wired', 'wifi']",
            "SELECT * FROM devices WHERE is_defined(properties.reported.connectivity)",
            "SELECT properties.reported.telemetryConfig.status AS status, COUNT() AS numberOfDevices FROM devices "
                    + "GROUP BY properties.reported.telemetryConfig.status",
            "SELECT COUNT() AS numberOfDevices FROM devices",
            "SELECT AVG(properties.reported.t), SUM(properties.reported.t), MIN(properties.reported.t), "
                    + "MAX(properties.reported.t) FROM devices",
            "SELECT DeviceId, LastActivityTime FROM devices",
            "SELECT * FROM devices WHERE properties.reported['HomeTemp(F)'] > 70",
            "SELECT * FROM devices WHERE properties.reported[\"HomeTemp(F)\"] > 70",
            "SELECT * FROM devices WHERE tags.count = 1 AND tags.select.from = 'x'",
            "SELECT * FROM devices WHERE properties.desired.$version > 2",
            "SELECT * FROM devices WHERE a = -1.5e3 OR b = .5 OR c = 0xFF OR d = 1. OR e <> undefined",
            "SELECT * FROM devices WHERE NOT (a = 1) AND NOT b != 2",
            "SELECT * FROM devices WHERE x IN []",
            "SELECT * FROM devices WHERE a + b * c - d / e % f > (1 + 2) * 3",
    })
    void the_documented_forms_parse(String text) {
        assertThat(TwinQuery.parse(text).text()).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            SELECT * FROM devices WHER x = 1                       | WHER     | line 1, column 23, near 'WHER'
            SELECT * FORM devices                                  | FORM     | near 'FORM'
            SELECT FROM devices                                    | FROM     | near 'FROM'
            SELECT * FROM devices WHERE                            |          | near the end of the query
            SELECT * FROM devices WHERE tags.x = 'a' AND           |          | near the end of the query
            SELECT * FROM devices WHERE tags.x = = 1               | = 1      | near '='
            SELECT * FROM devices WHERE tags.x = 'unterminated     | 'unterm  | unexpected character
            SELECT * FROM devices WHERE tags.x = 'bad\\nescape'    | 'bad     | unexpected character
            SELECT * FROM devices WHERE tags.x = #                 | #        | near '#'
            SELECT * FROM devices WHERE select = 1                 | select = | near 'select'
            SELECT * FROM devices WHERE FOO(tags.x)                | FOO      | unknown function 'FOO'
            SELECT * FROM devices WHERE STARTS_WITH(tags.x)        | STARTS   | STARTS_WITH takes 2 arguments, not 1
            SELECT * FROM devices WHERE CONCAT('a')                | CONCAT   | takes at least 2 arguments
            SELECT deviceId FROM devices.jobs                      | devices. | takes SELECT * only
            SELECT COUNT() AS n FROM devices.jobs                  | devices. | takes SELECT * only
            SELECT * FROM things                                   | things   | unknown collection 'things'
            SELECT tags.x, COUNT() FROM devices                    | tags.x   | must be the GROUP BY path
            SELECT tags.y, COUNT() FROM devices GROUP BY tags.x    | tags.y   | must be the GROUP BY path ('tags.x')
            SELECT * FROM devices GROUP BY tags.x                  | GROUP    | GROUP BY needs a projection
            SELECT tags.a.x, tags.b.x FROM devices                 | tags.b   | both be named 'x'
            SELECT COUNT() AS n, SUM(tags.x) AS n FROM devices     | SUM      | both be named 'n'
            SELECT TOP 99999999999 * FROM devices                  | 9999     | TOP takes a whole number
            SELECT TOP -1 * FROM devices                           | -1       | near '-'
            SELECT * FROM devices WHERE tags['a"b'] = 1            | 'a"b'    | double quote or a backslash
            SELECT * FROM devices WHERE COUNT() = 1                | COUNT    | near 'COUNT'
            SELECT * FROM devices WHERE tags.a- = 1                | = 1      | near '='
            SELECT * FROM devices WHERE tags.a-b- = 1              | = 1      | near '='
            SELECT * FROM devices WHERE tags.-a = 1                | -a       | near '-'
            SELECT tags.a AS -x FROM devices                       | -x       | near '-'
            SELECT tags.a AS x- FROM devices                       | - FROM   | near '-'
            SELECT * FROM devices WHERE tags.a-1.5 = 1             | .5       | near '.5'
            """)
    void an_invalid_query_is_refused_with_its_position_and_token(String text, String offending, String message) {
        int column = offending == null ? text.length() + 1 : text.indexOf(offending) + 1;

        assertThatThrownBy(() -> TwinQuery.parse(text))
                .isInstanceOfSatisfying(HubException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID);
                    assertThat(e.getMessage()).contains("line 1, column " + column + ",").contains(message);
                });
    }

    @Test
    void an_error_on_a_later_line_names_that_line() {
        assertThatThrownBy(() -> TwinQuery.parse("SELECT *\nFROM devices\nWHERE tags.x = = 1"))
                .hasMessageContaining("line 3, column 16, near '='");
    }

    @Test
    void a_query_of_8192_characters_is_accepted_and_one_more_is_refused() {
        String head = "SELECT * FROM devices WHERE tags.x = '";
        String longest = head + "a".repeat(TwinQuery.MAX_LENGTH - head.length() - 1) + "'";
        String tooLong = head + "a".repeat(TwinQuery.MAX_LENGTH - head.length()) + "'";

        assertThat(longest).hasSize(8192);
        assertThat(TwinQuery.parse(longest).text()).isEqualTo(longest);
        assertThatThrownBy(() -> TwinQuery.parse(tooLong))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID))
                .hasMessageContaining("8193 characters").hasMessageContaining("at most 8192");
    }

    @ParameterizedTest(name = "[{index}]")
    @ValueSource(strings = {"", "   ", "\n"})
    void an_empty_query_is_refused(String text) {
        assertThatThrownBy(() -> TwinQuery.parse(text)).hasMessageContaining("The query is empty");
    }

    @Test
    void deeply_nested_conditions_are_refused_instead_of_exhausting_the_parser() {
        int depth = 4000;
        String text = "SELECT * FROM devices WHERE " + "(".repeat(depth) + "true" + ")".repeat(depth);

        assertThatThrownBy(() -> TwinQuery.parse(text))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID));
    }

    @Test
    void nesting_up_to_the_limit_is_accepted_and_one_level_more_is_refused() {
        int limit = QueryTreeBuilder.MAX_EXPRESSION_DEPTH;

        assertThat(TwinQuery.parse(nested(limit - 1)).condition()).isPresent();
        assertThatThrownBy(() -> TwinQuery.parse(nested(limit + 1))).hasMessageContaining("nested more than " + limit);
    }

    @Test
    void array_constants_nested_beyond_the_limit_are_refused_instead_of_exhausting_the_stack() {
        int limit = QueryTreeBuilder.MAX_EXPRESSION_DEPTH;

        assertThat(TwinQuery.parse(inArray(limit - 1)).condition()).isPresent();
        assertThatThrownBy(() -> TwinQuery.parse(inArray(limit + 1))).hasMessageContaining("nested more than " + limit);
        assertThatThrownBy(() -> TwinQuery.parse(inArray(4000)))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID));
    }

    /** {@code tags.x IN [[..[1]..]]} with {@code levels} array constants inside the list. */
    private static String inArray(int levels) {
        return "SELECT * FROM devices WHERE tags.x IN [" + "[".repeat(levels) + "1" + "]".repeat(levels) + "]";
    }

    private static String nested(int levels) {
        return "SELECT * FROM devices WHERE " + "(".repeat(levels) + "true" + ")".repeat(levels);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            'plain'               | plain
            "plain"               | plain
            'it\\'s'              | it's
            "say \\"hi\\""        | say "hi"
            'back\\\\slash'       | back\\slash
            '\\u0041\\u00e9'      | Aé
            "mixed 'quotes'"      | mixed 'quotes'
            """)
    void string_constants_resolve_their_escapes(String literal, String value) {
        TwinQuery query = TwinQuery.parse("SELECT * FROM devices WHERE tags.x = " + literal);

        Expression.Binary comparison = (Expression.Binary) query.condition().orElseThrow();
        assertThat(comparison.right()).isEqualTo(new Expression.Constant(new QueryValue.Text(value)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            42          | 42
            0x2A        | 42
            0xff        | 255
            -7          | -7
            """)
    void integer_constants_are_exact(String literal, long value) {
        TwinQuery query = TwinQuery.parse("SELECT * FROM devices WHERE tags.x IN [" + literal + "]");

        Expression.Membership in = (Expression.Membership) query.condition().orElseThrow();
        assertThat(in.candidates()).containsExactly(new QueryValue.Numeric(value));
    }

    @Test
    void system_property_names_are_matched_in_any_case_and_kept_in_canonical_case() {
        TwinQuery query = TwinQuery.parse("SELECT DeviceId, LASTACTIVITYTIME, Properties.REPORTED.Temp, "
                + "Capabilities.IOTEDGE, tags.Floor FROM devices");

        assertThat(query.selectItems()).extracting(SelectItem::key)
                .containsExactly("deviceId", "lastActivityTime", "Temp", "iotEdge", "Floor");
        assertThat(((SelectItem.Path) query.selectItems().get(2)).path().segments())
                .containsExactly("properties", "reported", "Temp");
    }

    @Test
    void unnamed_aggregates_are_keyed_by_their_position_among_aggregates() {
        TwinQuery query = TwinQuery.parse("SELECT tags.x, COUNT(), SUM(tags.y) AS total, MAX(tags.y) FROM devices "
                + "GROUP BY tags.x");

        assertThat(query.selectItems()).extracting(SelectItem::key).containsExactly("x", "$1", "total", "$2");
    }

    /** The path of the only item of {@code SELECT <path> FROM devices}. */
    private static List<String> selectedPath(String path) {
        SelectItem item = TwinQuery.parse("SELECT " + path + " FROM devices").selectItems().get(0);
        return ((SelectItem.Path) item).path().segments();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            properties.desired.KeyQuery3f2a-41c0                             | properties desired KeyQuery3f2a-41c0
            properties.desired.KeyQuery0d1e23f4-1e23-4123-8abc-123456789012  | properties desired KeyQuery0d1e23f4-1e23-4123-8abc-123456789012
            tags.a-b.c-d.e                                                   | tags a-b c-d e
            tags.a-1                                                         | tags a-1
            tags.x-1e5                                                       | tags x-1e5
            tags.x-0x1F                                                      | tags x-0x1F
            tags.select-from                                                 | tags select-from
            tags.Plant_2-B-c3                                                | tags Plant_2-B-c3
            tags['x'].a-b                                                    | tags x a-b
            tags . a-b                                                       | tags a-b
            """)
    void a_dash_between_name_characters_after_a_dot_is_part_of_the_name(String path, String segments) {
        assertThat(selectedPath(path)).containsExactly(segments.split(" "));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            tags.a - 1          | (tags.a) - (1)
            tags.a -1           | (tags.a) - (1)
            tags.a- 1           | (tags.a) - (1)
            tags.a--1           | (tags.a) - (-1)
            tags.a-(1)          | (tags.a) - (1)
            tags.a-'x'          | (tags.a) - ('x')
            tags.a-.5           | (tags.a) - (.5)
            tags['a']-1         | (tags['a']) - (1)
            (tags.a)-1          | (tags.a) - (1)
            version-1           | (version) - (1)
            a-b                 | (a) - (b)
            a-b-c               | ((a) - (b)) - (c)
            1-tags.a            | (1) - (tags.a)
            1-2                 | (1) - (2)
            tags.a - b-c        | ((tags.a) - (b)) - (c)
            tags.a-b - tags.c-d | (tags['a-b']) - (tags['c-d'])
            """)
    void a_dash_anywhere_else_is_still_subtraction(String written, String meant) {
        assertThat(TwinQuery.parse("SELECT * FROM devices WHERE " + written).condition())
                .isEqualTo(TwinQuery.parse("SELECT * FROM devices WHERE " + meant).condition());
    }

    @Test
    void the_sdk_e2e_group_by_on_a_dashed_desired_property_parses_with_its_alias_as_the_column() {
        TwinQuery query = TwinQuery.parse("SELECT properties.desired.KeyQuery3f2a-41c0 AS KeyQuery3f2a-41c0, "
                + "COUNT() AS numberOfDevices FROM devices GROUP BY properties.desired.KeyQuery3f2a-41c0");

        assertThat(query.selectItems()).extracting(SelectItem::key)
                .containsExactly("KeyQuery3f2a-41c0", "numberOfDevices");
        assertThat(query.groupBy()).contains(AttributePath.of("properties", "desired", "KeyQuery3f2a-41c0"));
    }

    @Test
    void dashed_names_work_as_function_and_aggregate_arguments() {
        TwinQuery condition = TwinQuery.parse(
                "SELECT * FROM devices WHERE is_defined(properties.desired.KeyQuery3f2a-41c0)");
        TwinQuery aggregate = TwinQuery.parse("SELECT SUM(properties.reported.a-b) AS total-1 FROM devices");

        assertThat(condition.condition()).contains(new Expression.Call(QueryFunction.named("is_defined").orElseThrow(),
                List.of(new Expression.Attribute(AttributePath.of("properties", "desired", "KeyQuery3f2a-41c0")))));
        assertThat(aggregate.selectItems()).containsExactly(new SelectItem.Aggregate(SelectItem.AggregateFunction.SUM,
                Optional.of(AttributePath.of("properties", "reported", "a-b")), "total-1"));
    }

    @Test
    void bracketed_names_become_one_segment_whatever_they_contain() {
        TwinQuery query = TwinQuery.parse("SELECT properties.reported['HomeTemp(F)'], tags['a.b'] FROM devices");

        assertThat(query.selectItems()).extracting(item -> ((SelectItem.Path) item).path().segments())
                .isEqualTo(List.of(List.of("properties", "reported", "HomeTemp(F)"), List.of("tags", "a.b")));
    }
}
