package lab.devicetwins.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.process.LocalHubProcess;

/**
 * Scenario: desired-property PATCH over HTTPS in the service SDK's wire form ({@code POST /twins/{id}} with
 * {@code X-HTTP-Method-Override: PATCH}, {@code If-Match: *}, a service SAS token), closed loop, each client on its
 * own kept-alive connection, each update to another of the 10,000 bench devices and committed before its 200. There
 * is no broker to compare with; the figure is set beside the twin-update quota of IoT Hub's largest tier.
 */
final class DesiredPatchThroughput implements Scenario, Bench.SharesTheHub {
    static final int[] CLIENTS = {16, 1};
    /** Unmeasured load before the first round. */
    static final int JIT_WARMUP_SECONDS = 15;
    /** Twin updates (device and module) an S3 IoT Hub allows per unit and second; an S3 hub has at most 10 units. */
    static final int S3_TWIN_UPDATES_PER_UNIT_SECOND = 250;

    @Override
    public String name() {
        return "desired-https";
    }

    @Override
    public SummaryLine run(BenchContext context) throws Exception {
        BenchEnvironment bench = context.bench();
        LocalHubProcess hub = context.hub();
        HubEnvFile env = hub.hubEnv();
        HubHttps https = HubHttps.of(bench, env);
        SSLContext tls = https.tls();
        String token = https.ownerToken();
        String base = https.base();
        SummaryLine line = new SummaryLine(name());
        // the HTTPS path needs more than a few seconds to be compiled: 3 s left the first round at half the rate
        closedLoop(tls, base, token, CLIENTS[0], hub.pid(), JIT_WARMUP_SECONDS, 1);
        for (int clients : CLIENTS) {
            Figure perSecond = new Figure();
            Figure p50 = new Figure();
            Figure p99 = new Figure();
            Figure hubMicrosPerOp = new Figure();
            long errors = 0;
            for (int round = 1; round <= bench.runs(); round++) {
                Run run = closedLoop(tls, base, token, clients, hub.pid(), bench.warmupSeconds(), bench.seconds());
                perSecond.add(run.perSecond);
                p50.add(run.latencies.percentileMicros(0.5));
                p99.add(run.latencies.percentileMicros(0.99));
                hubMicrosPerOp.add(run.hubMicrosPerOp);
                errors += run.errors;
                System.out.printf(Locale.ROOT, "# desired-https %d clients round %d: %,.0f updates/s, p50 %.0f µs,"
                                + " p99 %.0f µs, hub CPU %.1f µs per update, %d errors%n", clients, round,
                        run.perSecond, run.latencies.percentileMicros(0.5), run.latencies.percentileMicros(0.99),
                        run.hubMicrosPerOp, run.errors);
            }
            line.put("hub_ups_" + clients + "c", perSecond)
                    .put("p50_us_" + clients + "c", p50)
                    .put("p99_us_" + clients + "c", p99)
                    .put("hub_cpu_us_per_op_" + clients + "c", hubMicrosPerOp)
                    .put("errors_" + clients + "c", errors);
            if (clients == CLIENTS[0]) {
                line.put("vs_s3_unit", perSecond.median() / S3_TWIN_UPDATES_PER_UNIT_SECOND)
                        .put("vs_s3_10_units", perSecond.median() / (10.0 * S3_TWIN_UPDATES_PER_UNIT_SECOND));
            }
        }
        return line.put("goal", "measured_beside_S3_quota_250/s/unit").put("verdict", "measured");
    }

    private record Run(double perSecond, Latencies latencies, double hubMicrosPerOp, long errors) {
    }

    private static Run closedLoop(SSLContext tls, String base, String token, int clients, long hubPid,
                                  int warmupSeconds, int seconds) throws Exception {
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Latencies> perClient = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                Latencies mine = new Latencies();
                perClient.add(mine);
                int client = c;
                running.add(pool.submit(() -> {
                    // one HttpClient per client: one kept-alive connection each, as one TwinClient per app has
                    HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10)).build();
                    long seq = 0;
                    while (!stop.get()) {
                        String deviceId = BenchDevices.mqttDeviceId((int) ((client + seq * clients)
                                % BenchContext.MQTT_DEVICES));
                        seq++;
                        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/twins/" + deviceId
                                        + "?api-version=2021-04-12"))
                                .header("Authorization", token)
                                .header("Content-Type", "application/json; charset=utf-8")
                                .header("Accept", "application/json")
                                .header("If-Match", "*")
                                .header("X-HTTP-Method-Override", "PATCH")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"properties\":{\"desired\":{\"seq\":"
                                        + seq + ",\"client\":" + client + "}}}"))
                                .build();
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() != 200) {
                                errors.incrementAndGet();
                            } else if (measuring.get()) {
                                mine.add(System.nanoTime() - t0);
                                done.incrementAndGet();
                            }
                        } catch (java.io.IOException e) {
                            errors.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(warmupSeconds * 1000L);
            long ticks0 = ProcessCpu.ticks(hubPid);
            long t0 = System.nanoTime();
            measuring.set(true);
            Thread.sleep(seconds * 1000L);
            measuring.set(false);
            long elapsed = System.nanoTime() - t0;
            long ticks = ProcessCpu.ticks(hubPid) - ticks0;
            long updates = done.get();
            stop.set(true);
            for (Future<?> f : running) {
                f.get();
            }
            Latencies all = new Latencies();
            perClient.forEach(all::addAll);
            double perSecond = updates / (elapsed / 1e9);
            return new Run(perSecond, all, ticks * ProcessCpu.TICK_MS * 1000 / Math.max(1, updates), errors.get());
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }
}
