package lab.devicetwins.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one line a scenario prints for scripts: {@code BENCH <scenario> key=value ...}, where a measured value is
 * {@code median/min/max} over the runs and derived values (ratios, verdicts) are single words. Keys never contain
 * spaces or '='; values never contain spaces.
 */
final class SummaryLine {
    private final String scenario;
    private final Map<String, String> values = new LinkedHashMap<>();

    SummaryLine(String scenario) {
        this.scenario = scenario;
    }

    SummaryLine put(String key, Figure figure) {
        values.put(key, figure.triple());
        return this;
    }

    SummaryLine put(String key, double value) {
        values.put(key, Figure.number(value));
        return this;
    }

    SummaryLine put(String key, long value) {
        values.put(key, Long.toString(value));
        return this;
    }

    SummaryLine put(String key, String value) {
        values.put(key, value.replace(' ', '_'));
        return this;
    }

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder("BENCH ").append(scenario);
        values.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        return line.toString();
    }
}
