package lab.devicetwins.localhub.properties;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

/**
 * The cases of one property run counted by what they turned out to be (what the model said, how the hub answered),
 * and checked after the run against the shares that make the property worth running: a token property whose cases
 * are all refused never sees a grant, and a hub that refused everything would pass it.
 */
final class Coverage {
    private final String counted;
    private final Map<String, Integer> counts = new TreeMap<>();

    /** @param counted what the labels say, for the failure message (e.g. "the model says") */
    Coverage(String counted) {
        this.counted = counted;
    }

    void count(Object label) {
        counts.merge(String.valueOf(label), 1, Integer::sum);
    }

    /** Checks that at least {@code percent} of the cases counted had this label. */
    Coverage assertAtLeast(Object label, double percent) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).as("cases counted by %s, run seed %d", counted, PropertyRun.RUN_SEED).isPositive();
        assertThat(counts.getOrDefault(String.valueOf(label), 0) * 100.0 / total)
                .as("percent of %d cases where %s '%s' (all: %s), run seed %d", total, counted, label, counts,
                        PropertyRun.RUN_SEED)
                .isGreaterThanOrEqualTo(percent);
        return this;
    }

    /**
     * Checks that at least one case had this label: for a kind of case too rare (a few percent) for a share of it to
     * be checked without the check failing now and then.
     */
    Coverage assertSeen(Object label) {
        assertThat(counts.getOrDefault(String.valueOf(label), 0))
                .as("cases where %s '%s' (all: %s), run seed %d", counted, label, counts, PropertyRun.RUN_SEED)
                .isPositive();
        return this;
    }

    @Override
    public String toString() {
        return counted + " " + counts;
    }
}
