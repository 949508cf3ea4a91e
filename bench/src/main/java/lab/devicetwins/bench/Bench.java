package lab.devicetwins.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmark scenarios, all or those named: {@code bench/run.sh [scenario ...]}. Details go to lines
 * starting with {@code #}; each scenario ends with one {@code BENCH} line (see {@link SummaryLine}).
 */
public final class Bench {
    private Bench() {
    }

    /** In the order {@code all} runs them: the shared MQTT hub first, then the scenarios that start their own. */
    static Map<String, Scenario> scenarios() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        for (Scenario s : List.of(new TwinGetRoundTrip(), new ReportedPatchThroughput(), new DesiredPropagation(),
                new DesiredPatchThroughput(), new TwinResponseLoss(), new MethodRoundTrip(), new ConnectionScale(), new BulkCreate(),
                new TwinQueries(), new InspectorRender(), new DeveloperLoop())) {
            all.put(s.name(), s);
        }
        return all;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Scenario> known = scenarios();
        List<Scenario> chosen = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("all")) {
                chosen.addAll(known.values());
            } else if (known.containsKey(arg)) {
                chosen.add(known.get(arg));
            } else {
                System.err.println("unknown scenario '" + arg + "'; known: all " + String.join(" ", known.keySet()));
                System.exit(2);
            }
        }
        if (chosen.isEmpty()) {
            chosen.addAll(known.values());
        }
        BenchEnvironment bench = BenchEnvironment.fromSystemProperties();
        System.out.printf("# runs=%d seconds=%d warmup=%d hub=%s mosquitto=%s%n", bench.runs(), bench.seconds(),
                bench.warmupSeconds(), bench.hubHost(), bench.mosquittoHost());
        List<String> summary = new ArrayList<>();
        int failed = 0;
        try (BenchContext context = new BenchContext(bench)) {
            for (Scenario scenario : chosen) {
                if (!(scenario instanceof SharesTheHub)) {
                    context.stopHub(); // scenarios with their own hubs (and ./mvnw verify) need the machine and 8883
                }
                System.out.println("# === " + scenario.name() + " (load average before: " + loadAverage() + ")");
                try {
                    String line = scenario.run(context).toString();
                    System.out.println(line);
                    summary.add(line);
                } catch (Exception | Error e) {
                    failed++;
                    e.printStackTrace(System.out);
                    String line = new SummaryLine(scenario.name()).put("error", String.valueOf(e.getMessage())
                            .replaceAll("\\s+", "_")).toString();
                    System.out.println(line);
                    summary.add(line);
                }
            }
        }
        // a recap for people; scripts read the BENCH lines above, one per scenario
        System.out.println("# === summary");
        summary.forEach(line -> System.out.println("# " + line));
        System.exit(failed == 0 ? 0 : 1);
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine skews every figure, so the log says. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Marks scenarios that measure the shared hub (on 8883 with the MQTT bench devices). */
    interface SharesTheHub {
    }
}
