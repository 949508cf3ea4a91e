package lab.devicetwins.localhub.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

class TwinHistoryTest {
    private static JsonObject entry(int version) {
        JsonObject entry = new JsonObject();
        entry.addProperty("version", version);
        return entry;
    }

    @Test
    void a_twin_keeps_its_newest_entries_oldest_first_up_to_its_bound() {
        TwinHistory history = new TwinHistory(3, 10);
        for (int v = 1; v <= 5; v++) {
            history.add("d1", entry(v));
        }

        assertThat(history.of("d1").asList()).extracting(e -> e.getAsJsonObject().get("version").getAsInt())
                .containsExactly(3, 4, 5);
    }

    @Test
    void over_the_twin_bound_the_twin_changed_longest_ago_is_forgotten() {
        TwinHistory history = new TwinHistory(5, 2);
        history.add("a", entry(1));
        history.add("b", entry(1));
        history.add("a", entry(2)); // a is now the most recently changed
        history.add("c", entry(1));

        assertThat(history.of("b")).isEmpty();
        assertThat(history.of("a")).hasSize(2);
        assertThat(history.of("c")).hasSize(1);
        assertThat(history.twins()).isEqualTo(2);
    }

    @Test
    void the_documented_bounds_are_those_in_force() {
        TwinHistory history = new TwinHistory();
        for (int v = 0; v < TwinHistory.PER_TWIN + 10; v++) {
            history.add("d", entry(v));
        }
        for (int t = 0; t < TwinHistory.TWINS + 10; t++) {
            history.add("t" + t, entry(0));
        }

        assertThat(history.twins()).isEqualTo(TwinHistory.TWINS);
        assertThat(history.of("t" + (TwinHistory.TWINS + 9))).hasSize(1);
        assertThat(history.of("d")).as("changed longest ago").isEmpty();
    }
}
