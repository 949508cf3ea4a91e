package lab.devicetwins.localhub.twin;

import static lab.devicetwins.localhub.twin.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonNull;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TwinSizeTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{'a':'xyz'}                | 4",
            "{'ab':1}                   | 10",
            "{'ab':1.5}                 | 10",
            "{'a':true}                 | 5",
            "{'a':false}                | 5",
            "{'a':{}}                   | 1",
            "{'a':{'b':'c'}}            | 3",
            "{'a':{'b':{'c':true}}}     | 7",
            "{'a':[1,'xy',true]}        | 15",
            "{'a':[{'k':1}]}            | 10",
            "{'a':[]}                   | 1",
            "{'a':1,'b':'q'}            | 11",
            "{}                         | 0"})
    void a_section_counts_keys_and_values_with_numbers_8_and_booleans_4(String section, long expected) {
        assertThat(TwinSize.ofProperties(obj(section).entrySet())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "abc, 3",
            "é, 2",
            "€, 3",
            "\uD83D\uDE00, 4",
            "'', 0"})
    void text_counts_its_utf8_bytes(String text, long expected) {
        assertThat(TwinSize.ofText(text)).isEqualTo(expected);
    }

    @Test
    void control_characters_c0_del_and_c1_do_not_count() {
        assertThat(TwinSize.ofText("a\u0000\n\t\u001f\u007f\u0080\u0085\u009fb")).isEqualTo(2);
    }

    @Test
    void null_counts_nothing_since_it_never_stays_in_a_twin() {
        assertThat(TwinSize.ofValue(JsonNull.INSTANCE)).isZero();
    }
}
