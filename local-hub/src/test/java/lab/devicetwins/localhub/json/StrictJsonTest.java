package lab.devicetwins.localhub.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonElement;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StrictJsonTest {

    static Stream<Arguments> acceptedTexts() {
        return Stream.of(
                Arguments.of("{}", "{}"),
                Arguments.of("[]", "[]"),
                Arguments.of("{\"a\":{\"b\":[1,{\"c\":null}]},\"d\":[]}", "{\"a\":{\"b\":[1,{\"c\":null}]},\"d\":[]}"),
                Arguments.of("\"a top-level string\"", "\"a top-level string\""),
                Arguments.of("true", "true"),
                Arguments.of("false", "false"),
                Arguments.of("null", "null"),
                Arguments.of("0", "0"),
                Arguments.of("-0", "-0"),
                Arguments.of("21", "21"),
                Arguments.of("1.50", "1.50"),
                Arguments.of("-1.5e-3", "-1.5e-3"),
                Arguments.of("1E+2", "1E+2"),
                Arguments.of("1e007", "1e007"),
                Arguments.of("1e-999", "1e-999"),
                Arguments.of("1.7976931348623157e308", "1.7976931348623157e308"),
                Arguments.of("1" + "0".repeat(308), "1" + "0".repeat(308)),
                Arguments.of(" \t\r\n [ 1 ,\n2\r\n] \n", "[1,2]"),
                Arguments.of("{ \"a\" : 1 , \"b\" : [ ] }", "{\"a\":1,\"b\":[]}"),
                Arguments.of("{\"a\":{\"a\":1},\"b\":{\"a\":2}}", "{\"a\":{\"a\":1},\"b\":{\"a\":2}}"),
                Arguments.of("[1,1,\"x\",\"x\"]", "[1,1,\"x\",\"x\"]"),
                Arguments.of("\"\\u00e9\\ud83d\\ude00\\u0000\"", "\"é😀\\u0000\""),
                Arguments.of("\"é 😀 \ufeff \uffff\"", "\"é 😀 \ufeff \uffff\""),
                Arguments.of("\"\\\"\\\\\\/\\n\\t\"", "\"\\\"\\\\/\\n\\t\""),
                Arguments.of("[".repeat(StrictJson.MAX_NESTING_DEPTH) + "]".repeat(StrictJson.MAX_NESTING_DEPTH),
                        "[".repeat(StrictJson.MAX_NESTING_DEPTH) + "]".repeat(StrictJson.MAX_NESTING_DEPTH)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("acceptedTexts")
    void an_rfc_8259_text_is_accepted_and_written_back_with_its_numbers_as_sent(String text, String written) {
        assertThat(parse(text).toString()).isEqualTo(written);
    }

    @Test
    void the_rfc_escapes_decode_to_the_characters_they_name() {
        JsonElement parsed = parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\uD834\\uDD1E\"");

        assertThat(parsed.getAsString()).isEqualTo("\" \\ / \b \f \n \r \t A \uD834\uDD1E");
    }

    static Stream<Arguments> refusedTexts() {
        return Stream.of(
                Arguments.of("", "expected a value but reached the end of the input at line 1, column 1"),
                Arguments.of(" \n ", "expected a value but reached the end of the input at line 2, column 2"),
                Arguments.of("{a:1}", "unquoted object key at line 1, column 2"),
                Arguments.of("{$a:1}", "unquoted object key at line 1, column 2"),
                Arguments.of("{'a':1}", "single-quoted object key at line 1, column 2"),
                Arguments.of("{\"a\":'b'}", "single-quoted strings are not allowed in JSON at line 1, column 6"),
                Arguments.of("// note\n{}", "comments are not allowed in JSON at line 1, column 1"),
                Arguments.of("{\"a\":1 /* why */}", "comments are not allowed in JSON at line 1, column 8"),
                Arguments.of("{/* c */\"a\":1}", "comments are not allowed in JSON at line 1, column 2"),
                Arguments.of("{\"a\":1}// trailing", "comments are not allowed in JSON at line 1, column 8"),
                Arguments.of("{\"a\":1;\"b\":2}", "expected ',' or '}' but found ';' at line 1, column 7"),
                Arguments.of("[1;2]", "expected ',' or ']' but found ';' at line 1, column 3"),
                Arguments.of("NaN", "NaN is not a JSON number at line 1, column 1"),
                Arguments.of("{\"t\":Infinity}", "Infinity is not a JSON number at line 1, column 6"),
                Arguments.of("[-Infinity]", "-Infinity is not a JSON number at line 1, column 2"),
                Arguments.of("1e999", "number outside the range of a 64-bit floating-point value at line 1, column 1"),
                Arguments.of("[-1e999]", "number outside the range of a 64-bit floating-point value at line 1, column 2"),
                Arguments.of("1" + "0".repeat(309),
                        "number outside the range of a 64-bit floating-point value at line 1, column 1"),
                Arguments.of("{\"\\ud800\":1}", "unpaired surrogate escape \\uD800 in a string at line 1, column 3"),
                Arguments.of("\"\\udc00\"", "unpaired surrogate escape \\uDC00 in a string at line 1, column 2"),
                Arguments.of("\"\\udc00\\ud800\"", "unpaired surrogate escape \\uDC00 in a string at line 1, column 2"),
                Arguments.of("\"\\ud800\\u0041\"", "unpaired surrogate escape \\uD800 in a string at line 1, column 2"),
                Arguments.of("\"\\ud800\"", "unpaired surrogate escape \\uD800 in a string at line 1, column 2"),
                Arguments.of("[1,2,]", "trailing comma before ']' at line 1, column 5"),
                Arguments.of("{\"a\":1,}", "trailing comma before '}' at line 1, column 7"),
                Arguments.of("[,1]", "expected a value but found ',' at line 1, column 2"),
                Arguments.of("{,}", "expected an object key in double quotes but found ',' at line 1, column 2"),
                Arguments.of("[1,,2]", "expected a value but found ',' at line 1, column 4"),
                Arguments.of("01", "leading zero in a number at line 1, column 1"),
                Arguments.of("[-012]", "leading zero in a number at line 1, column 3"),
                Arguments.of("+1", "a number must not start with '+' at line 1, column 1"),
                Arguments.of(".5", "a number must not start with '.' at line 1, column 1"),
                Arguments.of("[5.]", "expected a digit after the decimal point but found ']' at line 1, column 4"),
                Arguments.of("5.", "expected a digit after the decimal point but reached the end of the input"
                        + " at line 1, column 3"),
                Arguments.of("1e", "expected a digit in the exponent but reached the end of the input at line 1, column 3"),
                Arguments.of("1e+", "expected a digit in the exponent but reached the end of the input at line 1, column 4"),
                Arguments.of("-", "expected a digit after '-' but reached the end of the input at line 1, column 2"),
                Arguments.of("- 1", "expected a digit after '-' but found U+0020 at line 1, column 2"),
                Arguments.of("0x1F", "unexpected 'x' after the JSON value at line 1, column 2"),
                Arguments.of("{\"a\":1,\"a\":2}", "duplicate object key \"a\" at line 1, column 8"),
                Arguments.of("{\"a\":1,\"\\u0061\":2}", "duplicate object key \"a\" at line 1, column 8"),
                Arguments.of("{\"a\":{\"b\":1,\"b\":1}}", "duplicate object key \"b\" at line 1, column 13"),
                Arguments.of("{\"\\u2028\\u0085\":1,\"\\u2028\\u0085\":2}",
                        "duplicate object key \"\\u2028\\u0085\" at line 1, column 19"),
                Arguments.of("{} {}", "unexpected '{' after the JSON value at line 1, column 4"),
                Arguments.of("1 2", "unexpected '2' after the JSON value at line 1, column 3"),
                Arguments.of("true false", "unexpected 'f' after the JSON value at line 1, column 6"),
                Arguments.of("tru", "'tru' is not a JSON value at line 1, column 1"),
                Arguments.of("True", "'True' is not a JSON value at line 1, column 1"),
                Arguments.of("nulls", "'nulls' is not a JSON value at line 1, column 1"),
                Arguments.of("[undefined]", "'undefined' is not a JSON value at line 1, column 2"),
                Arguments.of("\"abc", "unterminated string at line 1, column 1"),
                Arguments.of("[\"a\\", "unterminated string at line 1, column 2"),
                Arguments.of("\"\\u12", "unterminated string at line 1, column 1"),
                Arguments.of("\"a\nb\"", "unescaped control character U+000A in a string at line 1, column 3"),
                Arguments.of("\"a\tb\"", "unescaped control character U+0009 in a string at line 1, column 3"),
                Arguments.of("\"\u0000\"", "unescaped control character U+0000 in a string at line 1, column 2"),
                Arguments.of("\"\u001f\"", "unescaped control character U+001F in a string at line 1, column 2"),
                Arguments.of("[\"\\x\"]", "invalid escape \\x in a string at line 1, column 3"),
                Arguments.of("\"\\'\"", "invalid escape \\' in a string at line 1, column 2"),
                Arguments.of("\"\\U0041\"", "invalid escape \\U in a string at line 1, column 2"),
                Arguments.of("\"\\\u00e9\"", "invalid escape in a string: '\\' followed by U+00E9 at line 1, column 2"),
                Arguments.of("\"\\u12G4\"", "\\u escape without four hexadecimal digits in a string at line 1, column 2"),
                Arguments.of("{\"a\" 1}", "expected ':' after the object key but found '1' at line 1, column 6"),
                Arguments.of("{\"a\"=1}", "expected ':' after the object key but found '=' at line 1, column 5"),
                Arguments.of("{\"a\"", "expected ':' after the object key but reached the end of the input"
                        + " at line 1, column 5"),
                Arguments.of("{\"a\":", "expected a value but reached the end of the input at line 1, column 6"),
                Arguments.of("{\"a\":1", "expected ',' or '}' but reached the end of the input at line 1, column 7"),
                Arguments.of("{\"a\":1,", "expected an object key but reached the end of the input at line 1, column 8"),
                Arguments.of("[1", "expected ',' or ']' but reached the end of the input at line 1, column 3"),
                Arguments.of("[1}", "expected ',' or ']' but found '}' at line 1, column 3"),
                Arguments.of("{\"a\":1]", "expected ',' or '}' but found ']' at line 1, column 7"),
                Arguments.of("\f1", "expected a value but found U+000C at line 1, column 1"),
                Arguments.of("\u00a01", "expected a value but found U+00A0 at line 1, column 1"),
                Arguments.of("[\ufeff]", "expected a value but found U+FEFF at line 1, column 2"),
                Arguments.of("\ufeff{}", "unexpected byte order mark at line 1, column 1"),
                Arguments.of("[".repeat(StrictJson.MAX_NESTING_DEPTH + 1) + "]".repeat(StrictJson.MAX_NESTING_DEPTH + 1),
                        "arrays and objects nested deeper than 64 levels at line 1, column 65"),
                Arguments.of("{\"a\":".repeat(100) + "1" + "}".repeat(100),
                        "arrays and objects nested deeper than 64 levels at line 1, column 321"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("refusedTexts")
    void a_text_outside_rfc_8259_is_refused_saying_what_and_where(String text, String message) {
        HubException refused = refused(text.getBytes(StandardCharsets.UTF_8));

        assertThat(refused.getMessage()).isEqualTo(message);
    }

    static Stream<Arguments> refusedBytes() {
        return Stream.of(
                Arguments.of("22 c3 28 22", "invalid UTF-8 (truncated sequence) at line 1, column 2"),
                Arguments.of("22 e2 82 22", "invalid UTF-8 (truncated sequence) at line 1, column 2"),
                Arguments.of("22 f0 9f 98 22", "invalid UTF-8 (truncated sequence) at line 1, column 2"),
                Arguments.of("22 c3", "invalid UTF-8 (truncated sequence) at line 1, column 2"),
                Arguments.of("22 ff 22", "invalid UTF-8 (byte 0xFF) at line 1, column 2"),
                Arguments.of("22 fe 22", "invalid UTF-8 (byte 0xFE) at line 1, column 2"),
                Arguments.of("22 f5 80 80 80 22", "invalid UTF-8 (byte 0xF5) at line 1, column 2"),
                Arguments.of("22 80 22", "invalid UTF-8 (continuation byte 0x80 without a lead byte) at line 1, column 2"),
                Arguments.of("22 c3 a9 bf 22", "invalid UTF-8 (continuation byte 0xBF without a lead byte)"
                        + " at line 1, column 3"),
                Arguments.of("22 c0 af 22", "invalid UTF-8 (overlong encoding) at line 1, column 2"),
                Arguments.of("22 c1 bf 22", "invalid UTF-8 (overlong encoding) at line 1, column 2"),
                Arguments.of("22 e0 80 af 22", "invalid UTF-8 (overlong encoding) at line 1, column 2"),
                Arguments.of("22 f0 80 80 af 22", "invalid UTF-8 (overlong encoding) at line 1, column 2"),
                Arguments.of("22 ed a0 80 22", "invalid UTF-8 (encoded surrogate) at line 1, column 2"),
                Arguments.of("22 ed bf bf 22", "invalid UTF-8 (encoded surrogate) at line 1, column 2"),
                Arguments.of("22 f4 90 80 80 22", "invalid UTF-8 (code point above U+10FFFF) at line 1, column 2"),
                Arguments.of("7b 22 61 22 3a ff 7d", "invalid UTF-8 (byte 0xFF) at line 1, column 6"),
                Arguments.of("5b 31 5d c3 28", "invalid UTF-8 (truncated sequence) at line 1, column 4"),
                Arguments.of("ef bb bf 7b 7d", "unexpected byte order mark at line 1, column 1"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refusedBytes")
    void bytes_that_are_not_valid_utf_8_are_refused_where_the_bad_sequence_starts(String hex, String message) {
        HubException refused = refused(HexFormat.ofDelimiter(" ").parseHex(hex));

        assertThat(refused.getMessage()).isEqualTo(message);
    }

    static Stream<Arguments> acceptedBytes() {
        return Stream.of(
                Arguments.of("22 c2 80 22", "\u0080"),
                Arguments.of("22 df bf 22", "\u07ff"),
                Arguments.of("22 e0 a0 80 22", "\u0800"),
                Arguments.of("22 ed 9f bf 22", "\ud7ff"),
                Arguments.of("22 ee 80 80 22", "\ue000"),
                Arguments.of("22 ef bf bf 22", "\uffff"),
                Arguments.of("22 f0 90 80 80 22", "\ud800\udc00"),
                Arguments.of("22 f4 8f bf bf 22", "\udbff\udfff"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("acceptedBytes")
    void utf_8_at_the_edges_of_each_sequence_length_is_accepted(String hex, String decoded) {
        assertThat(StrictJson.parse(HexFormat.ofDelimiter(" ").parseHex(hex)).getAsString()).isEqualTo(decoded);
    }

    @Test
    void every_refusal_is_an_invalid_argument_so_callers_answer_400() {
        HubException refused = refused("{a:1}".getBytes(StandardCharsets.UTF_8));

        assertThat(refused.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID);
    }

    @Test
    void lines_end_at_lf_crlf_and_a_lone_cr() {
        String text = "{\n\"a\": 1,\r\n\"b\": 2,\r\"c\": x}";

        assertThat(refused(text.getBytes(StandardCharsets.UTF_8)).getMessage())
                .isEqualTo("'x' is not a JSON value at line 4, column 6");
    }

    @Test
    void columns_count_characters_not_bytes() {
        String text = "{\"é😀\":x}";

        assertThat(refused(text.getBytes(StandardCharsets.UTF_8)).getMessage()).endsWith("at line 1, column 7");
    }

    @Test
    void a_hundred_thousand_open_brackets_are_refused_at_the_depth_limit_without_overflowing_the_stack() {
        byte[] deep = "[".repeat(100_000).getBytes(StandardCharsets.US_ASCII);

        assertThat(refused(deep).getMessage()).isEqualTo("arrays and objects nested deeper than 64 levels at line 1, column 65");
    }

    @Test
    void a_long_duplicate_key_is_shortened_and_its_control_characters_escaped_in_the_message() {
        String key = "\\u0007" + "k".repeat(100);
        String text = "{\"" + key + "\":1,\"" + key + "\":2}";

        assertThat(refused(text.getBytes(StandardCharsets.UTF_8)).getMessage())
                .isEqualTo("duplicate object key \"\\u0007" + "k".repeat(63) + "...\" at line 1, column 113");
    }

    @Test
    void a_range_of_an_array_is_read_on_its_own_and_positions_count_from_its_start() {
        byte[] buffer = "xx[1, 2]yy[1,]zz".getBytes(StandardCharsets.US_ASCII);

        assertThat(StrictJson.parse(buffer, 2, 6).toString()).isEqualTo("[1,2]");
        assertThat(catchThrowableOfType(HubException.class, () -> StrictJson.parse(buffer, 10, 4)).getMessage())
                .isEqualTo("trailing comma before ']' at line 1, column 3");
    }

    @Test
    void a_range_outside_the_array_is_a_programming_error_not_a_refused_body() {
        byte[] buffer = new byte[4];

        assertThatThrownBy(() -> StrictJson.parse(buffer, 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void messages_read_well_after_a_callers_prefix_and_name_no_java_types() {
        for (String text : new String[] {"{a:1}", "[1e999]", "\"\\ud800\"", "[".repeat(70), "{\"a\":1,\"a\":2}"}) {
            String message = refused(text.getBytes(StandardCharsets.UTF_8)).getMessage();

            assertThat(message).matches("[a-z'\\-A-Z+.\\\\].* at line [1-9][0-9]*, column [1-9][0-9]*")
                    .doesNotContainIgnoringCase("exception").doesNotContain("java").doesNotContain("gson");
        }
    }

    private static JsonElement parse(String text) {
        return StrictJson.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static HubException refused(byte[] bytes) {
        HubException refused = catchThrowableOfType(HubException.class, () -> StrictJson.parse(bytes));
        assertThat(refused).as("refusal of %s", new String(bytes, StandardCharsets.UTF_8)).isNotNull();
        return refused;
    }
}
