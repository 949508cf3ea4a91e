package lab.devicetwins.localhub.query;

import static org.quicktheories.generators.SourceDSL.lists;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Small fleets of twins whose properties take values of every kind, for property tests. */
final class RandomTwins {

    /** JSON texts, numbers written in several ways: projections must send them back as written. */
    static final List<String> VALUES = List.of(
            "0", "1", "2", "-3", "5", "1.50", "2.0", "1E2", "-0", "0.1", "0.2", "-0.5", "9007199254740993",
            "4503599627370495", "\"a\"", "\"A\"", "\"5\"", "\"\u00e9\"", "\"\ud83d\ude00x\"", "\"\"", "\" 5 \"",
            "\"Ab\"", "\"ab\"", "\"\uFF21\"", "\"\u00c9\"", "\"it's\"", "true", "false", "null", "{\"x\":1}",
            "{\"x\":\"a\"}", "[1,2]", "[]");

    private static final String[] PATHS = {"properties.reported.a", "properties.reported.b", "properties.reported.s",
            "properties.reported.obj", "properties.reported.HomeTemp(F)", "tags.t", "tags.loc.p"};

    private static final List<Integer> DEVICE_NUMBERS = IntStream.range(0, 100).boxed().toList();

    private RandomTwins() {
    }

    /** A value or nothing (the property is left out), each half the time. */
    static Gen<String> value() {
        return Generate.oneOf(Generate.pick(VALUES), Generate.constant(""));
    }

    /** A twin of the given id, enabled or disabled, with a value or nothing at each of the fleet's paths. */
    static Gen<JsonObject> randomTwin(String deviceId) {
        return lists().of(value()).ofSize(PATHS.length).zip(Generate.pick(List.of("enabled", "disabled")),
                (values, status) -> twin(deviceId, status, values));
    }

    /** A twin with the given values at the fleet's paths, "" meaning the property is left out. */
    private static JsonObject twin(String deviceId, String status, List<String> values) {
        TwinDocument twin = TwinDocument.twin(deviceId).with("status", status);
        for (int i = 0; i < PATHS.length; i++) {
            if (!values.get(i).isEmpty()) {
                twin.with(PATHS[i], JsonParser.parseString(values.get(i)));
            }
        }
        return twin.json();
    }

    /** Always the same dozen twins, every value in use and some properties left out. */
    static List<JsonObject> fixedFleet() {
        List<JsonObject> twins = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            List<String> values = new ArrayList<>();
            for (int j = 0; j < PATHS.length; j++) {
                values.add((i + j) % 5 == 0 ? "" : VALUES.get((i * PATHS.length + j) % VALUES.size()));
            }
            twins.add(twin("d%02d".formatted(i), i % 3 == 0 ? "disabled" : "enabled", values));
        }
        return twins;
    }

    /** Between six (or {@code max} if fewer) and {@code max} twins with distinct ids d00 to d99. */
    static Gen<List<JsonObject>> fleet(int max) {
        Gen<List<Integer>> numbers = DistinctPicks.of(DEVICE_NUMBERS, Math.min(6, max), max);
        return source -> {
            List<JsonObject> twins = new ArrayList<>();
            for (int n : numbers.generate(source)) {
                twins.add(randomTwin("d%02d".formatted(n)).generate(source));
            }
            return List.copyOf(twins);
        };
    }
}
