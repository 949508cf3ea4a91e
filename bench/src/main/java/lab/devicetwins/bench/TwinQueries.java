package lab.devicetwins.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.process.LocalHubProcess;

/**
 * Scenario 5: queries over 10,000, 100,000 and 1,000,000 twins (set {@code -Dbench.queryTwins=10000,100000} for
 * fewer), the first page of each, through the hub's HTTPS endpoint as the service SDK sends them
 * ({@code POST /devices/query}, {@code x-ms-max-item-count: 100}, a real SAS token). The twins are created through
 * the hub's own registry and twin operations in this process before the hub starts
 * ({@link BenchDevices#ensureQueryTwins}). The first run of each query is reported apart (it builds the index an
 * equality uses); the next {@link #COLD} are reported as the cold figure (a hub just started, its JIT compiler still at
 * work); then the query runs unmeasured for the warm-up seconds ({@code --warmup}, at least {@link #WARMUP} times), and
 * the {@link #REPETITIONS} after that are the figure. Per size it also measures the hub's start to ready and its live heap per
 * twin (after a full GC, less an empty hub's), and it draws the medians as a chart ({@code -Dbench.chart=FILE},
 * default {@code docs/performance-queries.svg}).
 */
final class TwinQueries implements Scenario {
    static final int REPETITIONS = 15;
    /** Queries after the first whose median is the cold figure. */
    static final int COLD = 20;
    /**
     * Unmeasured queries at least, so the figures are the JIT-compiled hub's, not its interpreter's. Twenty were not
     * enough: a tag query at 100,000 twins took 6 ms after twenty and 1.3 ms after fifteen seconds of them.
     */
    static final int WARMUP = 20;

    /** name -> query. */
    private static final Map<String, String> QUERIES = new LinkedHashMap<>();
    /** name -> twins -> goal (ms), from the performance issue. */
    private static final Map<String, Map<Integer, Double>> GOALS_MS = Map.of(
            "tag", Map.of(100_000, 5.0, 1_000_000, 10.0),
            "scan", Map.of(100_000, 100.0, 1_000_000, 1000.0),
            "groupby", Map.of(1_000_000, 500.0));
    private static final double GOAL_START_MS_1M = 10_000;
    private static final double GOAL_HEAP_BYTES_PER_TWIN = 2048;

    static {
        // 1 twin in 1,000: answered from the equality index on tags.plant
        QUERIES.put("tag", "SELECT * FROM devices WHERE tags.plant = 'plant-0042'");
        // 1 twin in 2,000, equality on a reported property: also indexed
        QUERIES.put("reported", "SELECT * FROM devices WHERE properties.reported.firmware = '2.0.1'");
        // the same twins through a function no index answers: every twin is read
        QUERIES.put("scan", "SELECT * FROM devices WHERE STARTS_WITH(properties.reported.firmware, '2.0')");
        QUERIES.put("groupby", "SELECT properties.reported.firmware, COUNT() AS n FROM devices"
                + " GROUP BY properties.reported.firmware");
    }

    @Override
    public String name() {
        return "queries";
    }

    private static List<Integer> sizes() {
        String sizes = System.getProperty("bench.queryTwins", "10000,100000,1000000");
        return Arrays.stream(sizes.split(",")).map(String::trim).map(Integer::valueOf).sorted().toList();
    }

    @Override
    public SummaryLine run(BenchContext context) throws Exception {
        BenchEnvironment bench = context.bench();
        SummaryLine line = new SummaryLine(name());
        boolean met = true;
        List<Integer> sizes = sizes();
        long[] empty = emptyHub(bench);
        long emptyHeap = empty[0];
        System.out.printf(Locale.ROOT, "# queries: an empty hub's live heap is %,d bytes, its RSS %,d KB%n", emptyHeap,
                empty[1]);
        line.put("empty_hub_rss_mb", empty[1] / 1024.0);
        Map<String, List<Double>> medians = new LinkedHashMap<>();
        QUERIES.keySet().forEach(q -> medians.put(q, new ArrayList<>()));
        for (int twins : sizes) {
            var dir = bench.workDir().resolve("twins-" + twins);
            BenchDevices.ensureQueryTwins(dir, twins);
            Map<String, Figure> p50 = new LinkedHashMap<>();
            Map<String, Figure> first = new LinkedHashMap<>();
            Map<String, Figure> cold = new LinkedHashMap<>();
            QUERIES.keySet().forEach(q -> {
                p50.put(q, new Figure());
                first.put(q, new Figure());
                cold.put(q, new Figure());
            });
            Figure start = new Figure();
            Figure heapPerTwin = new Figure();
            Figure rssPerTwin = new Figure();
            for (int round = 1; round <= bench.runs(); round++) {
                try (LocalHubProcess hub = bench.hubProcess(dir, 0).start()) {
                    start.add(hub.startedIn().toNanos() / 1e6);
                    long heap = JfrProfile.liveHeap(hub.pid()).get("Total");
                    heapPerTwin.add((heap - emptyHeap) / (double) twins);
                    rssPerTwin.add(ProcessCpu.rssKb(hub.pid()) * 1024.0 / twins);
                    Client client = new Client(bench, hub.hubEnv());
                    for (var q : QUERIES.entrySet()) {
                        Latencies times = new Latencies();
                        Latencies coldTimes = new Latencies();
                        int items = -1;
                        first.get(q.getKey()).add(timedQuery(client, q.getValue()) / 1e6);
                        for (int i = 0; i < COLD; i++) {
                            coldTimes.add(timedQuery(client, q.getValue()));
                        }
                        long warmUntil = System.nanoTime() + bench.warmupSeconds() * 1_000_000_000L;
                        for (int i = 0; i < WARMUP || System.nanoTime() < warmUntil; i++) {
                            client.query(q.getValue());
                        }
                        for (int i = 0; i < REPETITIONS; i++) {
                            long t0 = System.nanoTime();
                            String body = client.query(q.getValue());
                            times.add(System.nanoTime() - t0);
                            items = JsonParser.parseString(body).getAsJsonArray().size();
                        }
                        p50.get(q.getKey()).add(times.percentileMicros(0.5) / 1000);
                        cold.get(q.getKey()).add(coldTimes.percentileMicros(0.5) / 1000);
                        System.out.printf(Locale.ROOT, "# queries %,d twins round %d %-8s: p50 %8.2f ms  max %8.2f ms"
                                        + "  cold p50 %8.2f ms  first %8.1f ms  (%d items on the first page)%n", twins,
                                round, q.getKey(), times.percentileMicros(0.5) / 1000,
                                times.percentileMicros(1.0) / 1000, coldTimes.percentileMicros(0.5) / 1000,
                                first.get(q.getKey()).max(), items);
                    }
                    System.out.printf(Locale.ROOT, "# queries %,d twins round %d: start %,.0f ms, live heap %,d bytes"
                            + " (%,.0f per twin), RSS %,d KB%n", twins, round, hub.startedIn().toNanos() / 1e6, heap,
                            (heap - emptyHeap) / (double) twins, ProcessCpu.rssKb(hub.pid()));
                }
            }
            String size = twins >= 1_000_000 ? (twins / 1_000_000) + "M" : (twins / 1000) + "k";
            line.put("hub_start_ms_" + size, start);
            line.put("heap_bytes_per_twin_" + size, heapPerTwin);
            line.put("rss_bytes_per_twin_" + size, rssPerTwin);
            if (twins == 1_000_000) {
                met &= start.median() <= GOAL_START_MS_1M && heapPerTwin.median() <= GOAL_HEAP_BYTES_PER_TWIN;
            }
            for (var e : p50.entrySet()) {
                line.put(e.getKey() + "_p50_ms_" + size, e.getValue());
                line.put(e.getKey() + "_cold_p50_ms_" + size, cold.get(e.getKey()));
                line.put(e.getKey() + "_first_ms_" + size, first.get(e.getKey()));
                medians.get(e.getKey()).add(e.getValue().median());
                Double goal = GOALS_MS.getOrDefault(e.getKey(), Map.of()).get(twins);
                if (goal != null) {
                    met &= e.getValue().median() <= goal;
                }
            }
        }
        Path chart = Path.of(System.getProperty("bench.chart",
                bench.repoRoot().resolve("docs/performance-queries.svg").toString()));
        QueryChart.write(chart, sizes, medians, GOALS_MS, String.format(Locale.ROOT,
                "Twin queries, first page over HTTPS (%d cores, %s)", Runtime.getRuntime().availableProcessors(),
                LocalDate.now(ZoneOffset.UTC)));
        System.out.println("# queries: chart written to " + chart);
        return line.put("goal", "tag<=5ms@100k,<=10ms@1M;scan<=100ms@100k,<=1s@1M;groupby<=500ms@1M;"
                + "start<=10s@1M;heap<=2KB/twin").put("verdict", SideBySide.verdict(met));
    }

    /**
     * The live heap of a hub holding no device, to subtract from the others, and its resident memory (KB): what an
     * idle hub a learner starts costs.
     */
    private static long[] emptyHub(BenchEnvironment bench) throws Exception {
        var dir = bench.workDir().resolve("twins-0");
        BenchDevices.ensureQueryTwins(dir, 0);
        try (LocalHubProcess hub = bench.hubProcess(dir, 0).start()) {
            // one query, so the query engine's classes are loaded as in the measured hubs
            new Client(bench, hub.hubEnv()).query("SELECT * FROM devices");
            long heap = JfrProfile.liveHeap(hub.pid()).get("Total");
            return new long[] {heap, ProcessCpu.rssKb(hub.pid())};
        }
    }

    /** Runs the query; returns how long its answer took, in nanoseconds. */
    private static long timedQuery(Client client, String query) throws Exception {
        long t0 = System.nanoTime();
        client.query(query);
        return System.nanoTime() - t0;
    }

    /** Posts queries to one hub as the service SDK does. */
    private static final class Client {
        private final HttpClient http;
        private final URI uri;
        private final String token;

        Client(BenchEnvironment bench, HubEnvFile env) throws Exception {
            HubHttps https = HubHttps.of(bench, env);
            http = HttpClient.newBuilder()
                    .sslContext(https.tls())
                    .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            token = https.ownerToken();
            uri = URI.create(https.base()
                    + "/devices/query?api-version=2021-04-12");
        }

        String query(String text) throws Exception {
            HttpResponse<String> response = http.send(request(uri, token, text), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("query '" + text + "' answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        }
    }

    private static HttpRequest request(URI uri, String token, String query) {
        JsonObject body = new JsonObject();
        body.addProperty("query", query);
        return HttpRequest.newBuilder(uri)
                .header("Authorization", token)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("x-ms-max-item-count", "100")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
    }
}
