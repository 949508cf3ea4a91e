package lab.devicetwins.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
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
import java.util.concurrent.atomic.AtomicLong;
import lab.devicetwins.localhub.process.LocalHubProcess;

/**
 * Scenario: direct methods. A back end calls {@code POST /twins/{id}/methods} in closed loop, with 1 and with
 * {@link #CLIENTS} clients (each its own HTTPS connection and its own device); the devices are raw MQTT clients that
 * answer every call at once. Side by side, on the same hub in the same run, the same clients read the same devices'
 * twins with {@code GET /twins/{id}}: the REST round trip without the device, so the difference is what the MQTT leg
 * (hub to device and back) costs.
 */
final class MethodRoundTrip implements Scenario, Bench.SharesTheHub {
    static final int CLIENTS = 16;

    @Override
    public String name() {
        return "methods";
    }

    private record Run(Latencies latencies, double seconds, long errors, long hubTicks) {
        double perSecond() {
            return latencies.count() / seconds;
        }

        double hubMicrosPerOp() {
            return hubTicks * ProcessCpu.TICK_MS * 1000.0 / Math.max(1, latencies.count());
        }
    }

    @Override
    public SummaryLine run(BenchContext context) throws Exception {
        BenchEnvironment bench = context.bench();
        LocalHubProcess hub = context.hub();
        List<MqttClient> devices = context.load().connect(Broker.hub(bench, hub), CLIENTS, CLIENTS,
                id -> List.of("$iothub/methods/POST/#"));
        AtomicLong answered = new AtomicLong();
        for (MqttClient device : devices) {
            device.publishHandler(call -> {
                String topic = call.topicName();
                String rid = topic.substring(topic.indexOf("?$rid=") + "?$rid=".length());
                device.publish("$iothub/methods/res/200/?$rid=" + rid, Buffer.buffer("{\"ok\":true}"),
                        MqttQoS.AT_MOST_ONCE, false, false);
                answered.incrementAndGet();
            });
        }
        HubHttps https = HubHttps.of(bench, hub.hubEnv());
        Figure[] methodP50 = {new Figure(), new Figure()};
        Figure[] methodP99 = {new Figure(), new Figure()};
        Figure[] getP50 = {new Figure(), new Figure()};
        Figure[] getP99 = {new Figure(), new Figure()};
        Figure methodRate = new Figure();
        Figure getRate = new Figure();
        Figure methodCpu = new Figure();
        Figure getCpu = new Figure();
        long errors = 0;
        try {
            for (int round = 1; round <= bench.runs(); round++) {
                for (int c = 0; c < 2; c++) {
                    int clients = c == 0 ? 1 : CLIENTS;
                    for (boolean method : round % 2 == 1 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                        Run run = closedLoop(bench, https, hub.pid(), clients, method);
                        errors += run.errors();
                        (method ? methodP50 : getP50)[c].add(run.latencies().percentileMicros(0.5));
                        (method ? methodP99 : getP99)[c].add(run.latencies().percentileMicros(0.99));
                        if (clients == CLIENTS) {
                            (method ? methodRate : getRate).add(run.perSecond());
                            (method ? methodCpu : getCpu).add(run.hubMicrosPerOp());
                        }
                        System.out.printf(Locale.ROOT, "# methods round %d %-12s %2d clients: %,d calls in %.1f s = "
                                        + "%,.0f/s, p50 %.0f µs, p99 %.0f µs, hub CPU %.0f µs per call, %d errors%n",
                                round, method ? "method call" : "twin GET", clients, run.latencies().count(),
                                run.seconds(), run.perSecond(), run.latencies().percentileMicros(0.5),
                                run.latencies().percentileMicros(0.99), run.hubMicrosPerOp(), run.errors());
                    }
                }
            }
        } finally {
            context.load().disconnect(devices);
        }
        return new SummaryLine(name())
                .put("method_p50_1c_us", methodP50[0])
                .put("twin_get_p50_1c_us", getP50[0])
                .put("method_p99_1c_us", methodP99[0])
                .put("twin_get_p99_1c_us", getP99[0])
                .put("method_p50_" + CLIENTS + "c_us", methodP50[1])
                .put("twin_get_p50_" + CLIENTS + "c_us", getP50[1])
                .put("method_p99_" + CLIENTS + "c_us", methodP99[1])
                .put("method_per_s_" + CLIENTS + "c", methodRate)
                .put("twin_get_per_s_" + CLIENTS + "c", getRate)
                .put("hub_cpu_us_per_method_" + CLIENTS + "c", methodCpu)
                .put("hub_cpu_us_per_twin_get_" + CLIENTS + "c", getCpu)
                .put("device_answers", answered.get())
                .put("errors", errors)
                .put("goal", "measure_method_round_trip_against_twin_get")
                .put("verdict", errors == 0 ? "measured" : "ERRORS");
    }

    /** {@code clients} threads, each with its own connection, in closed loop for the warm-up and then the measured seconds. */
    private static Run closedLoop(BenchEnvironment bench, HubHttps https, long hubPid, int clients, boolean method)
            throws Exception {
        long warmupEnd = System.nanoTime() + Duration.ofSeconds(bench.warmupSeconds()).toNanos();
        long end = warmupEnd + Duration.ofSeconds(bench.seconds()).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long[] hubTicks = new long[1];
        try {
            List<Future<Latencies>> results = new ArrayList<>();
            AtomicLong errors = new AtomicLong();
            for (int i = 0; i < clients; i++) {
                String deviceId = BenchDevices.mqttDeviceId(i);
                results.add(pool.submit(() -> {
                    HttpClient http = HttpClient.newBuilder().sslContext(https.tls())
                            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
                    Latencies latencies = new Latencies();
                    long seq = 0;
                    for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                        HttpRequest request = method ? request(https, "/twins/" + deviceId + "/methods")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"methodName\":\"ping\",\"payload\":{\"seq\":"
                                        + seq++ + "},\"responseTimeoutInSeconds\":30}")).build()
                                : request(https, "/twins/" + deviceId).GET().build();
                        long t0 = System.nanoTime();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        long t1 = System.nanoTime();
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else if (t0 >= warmupEnd) {
                            latencies.add(t1 - t0);
                        }
                    }
                    return latencies;
                }));
            }
            Thread.sleep(Math.max(0, (warmupEnd - System.nanoTime()) / 1_000_000));
            hubTicks[0] = ProcessCpu.ticks(hubPid);
            Latencies all = new Latencies();
            for (Future<Latencies> result : results) {
                all.addAll(result.get());
            }
            long ticks = ProcessCpu.ticks(hubPid) - hubTicks[0];
            return new Run(all, bench.seconds(), errors.get(), ticks);
        } finally {
            pool.shutdownNow();
        }
    }

    private static HttpRequest.Builder request(HubHttps https, String path) {
        return HttpRequest.newBuilder(URI.create(https.base() + path + "?api-version=2021-04-12"))
                .header("Authorization", https.ownerToken())
                .header("Content-Type", "application/json; charset=utf-8")
                .timeout(Duration.ofSeconds(60));
    }
}
