package lab.devicetwins.localhub.it.query;

import static lab.devicetwins.localhub.it.query.QueryPages.flatten;
import static lab.devicetwins.localhub.it.query.QueryPages.rawPages;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples table of {@code docs/local-hub-query.md}, read from the page itself and run through the official
 * QueryClient over the twins the page describes, so the page cannot drift from what the hub answers.
 */
class DocumentedExamplesTest {

    static final Path PAGE = Path.of(System.getProperty("basedir", "."), "..", "docs", "local-hub-query.md");
    private static final String SECTION = "## Examples with the results the local hub gives";

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).seedDevices(List.of()));

    private static OfficialSdks sdks;

    /** The twins the page lists above its table, tags through TwinClient and reported properties over MQTT. */
    @BeforeAll
    static void create_the_documented_twins() throws Exception {
        sdks = new OfficialSdks(localHub.hub());
        TwinFleet fleet = new TwinFleet(sdks);
        for (String id : List.of("d1", "d2", "d3", "d4", "d5")) {
            fleet.add(id);
        }
        fleet.tag("d1", Map.of("location", Map.of("plant", "Redmond43")));
        fleet.tag("d2", Map.of("location", Map.of("plant", "Redmond43")));
        fleet.tag("d3", Map.of("location", Map.of("plant", "Seattle")));
        fleet.tag("d4", Map.of("location", Map.of("plant", "Seattle")));
        fleet.report("d1", Map.of("temp", 20, "telemetryConfig", Map.of("status", "Success"), "HomeTemp(F)", 71));
        fleet.report("d2", Map.of("temp", 25.5, "telemetryConfig", Map.of("status", "Success")));
        fleet.report("d3", Map.of("temp", "hot", "telemetryConfig", Map.of("status", "Pending")));
        fleet.report("d4", Map.of("temp", 10, "telemetryConfig", Map.of("status", "Success")));
        fleet.report("d5", Map.of("telemetryConfig", Map.of("status", "Error")));
        Device d5 = sdks.registry().getDevice("d5");
        d5.setStatus(DeviceStatus.Disabled);
        sdks.registry().updateDevice(d5);
    }

    /** Rows {@code | `query` | `result` |} of the first table after the examples heading. */
    static List<Arguments> examples() throws Exception {
        List<String> lines = Files.readAllLines(PAGE);
        int start = lines.indexOf(SECTION);
        assertThat(start).as("heading '%s' in %s", SECTION, PAGE).isNotNegative();
        List<Arguments> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("|")) {
                inTable = true;
                String[] cells = line.split("\\|");
                if (cells.length == 3 && cells[1].trim().startsWith("`SELECT")) {
                    rows.add(Arguments.of(unquote(cells[1]), unquote(cells[2])));
                }
            } else if (inTable) {
                break;
            }
        }
        return rows;
    }

    private static String unquote(String cell) {
        String text = cell.trim();
        return text.substring(1, text.length() - 1);
    }

    @Test
    void the_page_has_examples_to_check() throws Exception {
        assertThat(examples()).hasSizeGreaterThanOrEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void each_documented_example_gives_the_documented_result(String query, String result) throws Exception {
        QueryPageOptions options = QueryPageOptions.builder().build();
        Stream<JsonElement> actual = flatten(rawPages(sdks.queries().queryRaw(query, options), options)).stream()
                .map(JsonParser::parseString);

        List<JsonElement> expected = new ArrayList<>();
        JsonParser.parseString(result).getAsJsonArray().forEach(expected::add);
        assertThat(actual.toList()).containsExactlyElementsOf(expected);
    }
}
