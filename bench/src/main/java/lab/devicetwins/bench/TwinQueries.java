package lab.devicetwins.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.auth.SasToken;
import lab.devicetwins.localhub.process.LocalHubProcess;
import lab.devicetwins.localhub.tls.DevelopmentCaTrust;

/**
 * Scenario 5: queries over 10,000 and 100,000 twins, the first page of each, through the hub's HTTPS endpoint as
 * the service SDK sends them ({@code POST /devices/query}, {@code x-ms-max-item-count: 100}, a real SAS token). The
 * twins are created through the hub's own registry and twin operations in this process before the hub starts
 * ({@link BenchDevices#ensureQueryTwins}). Goals at 100,000 twins: p50 at most 20 ms, 250 ms and 500 ms.
 */
final class TwinQueries implements Scenario {
    static final int REPETITIONS = 15;

    /** name -> query, with its goal (ms) at 100,000 twins. */
    private static final Map<String, String> QUERIES = new LinkedHashMap<>();
    private static final Map<String, Double> GOALS_MS = Map.of("tag", 20.0, "scan", 250.0, "groupby", 500.0);

    static {
        QUERIES.put("tag", "SELECT * FROM devices WHERE tags.plant = 'plant-0042'");
        QUERIES.put("scan", "SELECT * FROM devices WHERE properties.reported.firmware = '2.0.1'");
        QUERIES.put("groupby", "SELECT properties.reported.firmware, COUNT() AS n FROM devices"
                + " GROUP BY properties.reported.firmware");
    }

    @Override
    public String name() {
        return "queries";
    }

    @Override
    public SummaryLine run(BenchContext context) throws Exception {
        BenchEnvironment bench = context.bench();
        SummaryLine line = new SummaryLine(name());
        boolean met = true;
        for (int twins : List.of(10_000, 100_000)) {
            var dir = bench.workDir().resolve("twins-" + twins);
            BenchDevices.ensureQueryTwins(dir, twins);
            Map<String, Figure> p50 = new LinkedHashMap<>();
            QUERIES.keySet().forEach(q -> p50.put(q, new Figure()));
            Figure start = new Figure();
            for (int round = 1; round <= bench.runs(); round++) {
                try (LocalHubProcess hub = bench.hubProcess(dir, 0).start()) {
                    HubEnvFile env = hub.hubEnv();
                    start.add(hub.startedIn().toNanos() / 1e6);
                    HttpClient http = HttpClient.newBuilder()
                            .sslContext(DevelopmentCaTrust.fromPemFile(env.path(HubEnvFile.CA_PEM).orElseThrow()).sslContext())
                            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
                    String owner = env.require(HubEnvFile.OWNER_CONNECTION_STRING);
                    String key = owner.substring(owner.indexOf("SharedAccessKey=") + "SharedAccessKey=".length());
                    String token = SasToken.create(bench.hubHost(), key, "iothubowner", Instant.now().plusSeconds(3600));
                    URI uri = URI.create("https://" + bench.hubHost() + ":" + env.port(HubEnvFile.HTTPS_PORT).orElseThrow()
                            + "/devices/query?api-version=2021-04-12");
                    for (var q : QUERIES.entrySet()) {
                        Latencies times = new Latencies();
                        int items = -1;
                        for (int i = 0; i < REPETITIONS + 3; i++) {
                            long t0 = System.nanoTime();
                            HttpResponse<String> response = http.send(request(uri, token, q.getValue()),
                                    HttpResponse.BodyHandlers.ofString());
                            long t1 = System.nanoTime();
                            if (response.statusCode() != 200) {
                                throw new IllegalStateException("query '" + q.getValue() + "' answered "
                                        + response.statusCode() + ": " + response.body());
                            }
                            if (i >= 3) {
                                times.add(t1 - t0);
                            }
                            items = JsonParser.parseString(response.body()).getAsJsonArray().size();
                        }
                        p50.get(q.getKey()).add(times.percentileMicros(0.5) / 1000);
                        System.out.printf(Locale.ROOT, "# queries %,d twins round %d %-7s: p50 %7.1f ms  max %7.1f ms"
                                        + "  (%d items on the first page)%n", twins, round, q.getKey(),
                                times.percentileMicros(0.5) / 1000, times.percentileMicros(1.0) / 1000, items);
                    }
                }
            }
            String size = twins == 10_000 ? "10k" : "100k";
            line.put("hub_start_ms_" + size, start);
            for (var e : p50.entrySet()) {
                line.put(e.getKey() + "_p50_ms_" + size, e.getValue());
                if (twins == 100_000) {
                    met &= e.getValue().median() <= GOALS_MS.get(e.getKey());
                }
            }
        }
        return line.put("goal", "100k:tag<=20ms,scan<=250ms,groupby<=500ms").put("verdict", SideBySide.verdict(met));
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
