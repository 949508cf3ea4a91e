package lab.devicetwins.localhub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessagePropertiesTest {

    /** How the Java device SDK writes a property name or value into a topic. */
    private static String sdkEncoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replaceAll("\\+", "%20");
    }

    @Test
    void a_property_bag_as_the_java_sdk_writes_it_reads_back_with_system_properties_kept_by_name() {
        Map<String, String> properties = MessageProperties.parse("$.mid=m-1&$.ct=application%2Fjson&"
                + "AzIoTHub_FaultOperationType=KillTcp&a%20b=1%2B1%3D2&empty=");

        assertThat(properties).containsExactly(Map.entry("$.mid", "m-1"), Map.entry("$.ct", "application/json"),
                Map.entry("AzIoTHub_FaultOperationType", "KillTcp"), Map.entry("a b", "1+1=2"), Map.entry("empty", ""));
    }

    @Test
    void a_module_topic_s_trailing_slash_is_not_part_of_the_last_value() {
        assertThat(MessageProperties.parse("k=v/")).containsExactly(Map.entry("k", "v"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"novalue", "=v", "k=%zz", "k=%4", "%ff%fe=v", "k=%c3"})
    void pairs_that_cannot_be_read_are_skipped_and_the_rest_is_kept(String broken) {
        assertThat(MessageProperties.parse(broken + "&ok=1")).containsExactly(Map.entry("ok", "1"));
    }

    @Test
    void a_key_given_twice_keeps_its_first_value() {
        assertThat(MessageProperties.parse("k=1&k=2")).containsExactly(Map.entry("k", "1"));
    }

    @Test
    void any_text_the_sdk_encodes_decodes_to_itself() {
        qt().withExamples(2000).forAll(strings().allPossible().ofLengthBetween(0, 40))
                .assuming(MessagePropertiesTest::isWellFormed)
                .check(text -> MessageProperties.decode(sdkEncoded(text)).filter(text::equals).isPresent());
    }

    @Test
    void any_text_at_all_parses_without_failing() {
        qt().withExamples(3000).forAll(strings().allPossible().ofLengthBetween(0, 80))
                .check(text -> MessageProperties.parse(text) != null);
    }

    /** A string with an unpaired surrogate has no UTF-8 form (the SDK's encoder writes '?' for it): not a case here. */
    private static boolean isWellFormed(String text) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(text);
    }
}
