package lab.devicetwins.localhub.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NamePoolTest {

    private static String firstKey(String json) {
        return StrictJson.parse(json.getBytes(StandardCharsets.UTF_8)).getAsJsonObject().keySet().iterator().next();
    }

    @Test
    void a_member_name_read_twice_is_one_string() {
        String first = firstKey("{\"temperature-pool-test\":1}");
        String second = firstKey("{\"temperature-pool-test\":{\"x\":2}}");

        assertThat(second).isEqualTo("temperature-pool-test").isSameAs(first);
    }

    @Test
    void long_names_are_used_as_read() {
        String name = "n".repeat(NamePool.MAX_LENGTH + 1);

        assertThat(firstKey("{\"" + name + "\":1}")).isEqualTo(name).isNotSameAs(firstKey("{\"" + name + "\":1}"));
    }
}
