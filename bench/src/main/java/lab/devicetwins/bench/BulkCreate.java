package lab.devicetwins.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.process.LocalHubProcess;

/**
 * Scenario: 10,000 devices created through the bulk registry ({@code POST /devices/}, 100 per call, as the SDKs' test
 * helpers create theirs) on a fresh hub with a data directory, against the same devices created one
 * {@code PUT /devices/{id}} at a time, both with {@link #CLIENTS} clients. Each answer comes after the commit; to show
 * it, the hub is killed with {@code kill -9} right after the last answer and started again, and every device must be
 * there.
 */
final class BulkCreate implements Scenario {
    static final int DEVICES = 10_000;
    static final int PER_CALL = 100;
    static final int CLIENTS = 4;

    @Override
    public String name() {
        return "bulk-create";
    }

    @Override
    public SummaryLine run(BenchContext context) throws Exception {
        BenchEnvironment bench = context.bench();
        Figure bulkRate = new Figure();
        Figure singleRate = new Figure();
        Figure hubCpuUsPerDevice = new Figure();
        long missing = 0;
        for (int round = 1; round <= bench.runs(); round++) {
            for (boolean bulk : round % 2 == 1 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                Path dir = bench.workDir().resolve("bulk-create-" + (bulk ? "bulk" : "single"));
                BenchDevices.deleteTree(dir);
                double rate;
                long ticks;
                String prefix = "bulk-r" + round + "-";
                LocalHubProcess hub = bench.hubProcess(dir, 0).start();
                try {
                    Client client = new Client(bench, hub.hubEnv());
                    long ticks0 = ProcessCpu.ticks(hub.pid());
                    long t0 = System.nanoTime();
                    if (bulk) {
                        client.createInBulk(prefix, DEVICES);
                    } else {
                        client.createOneByOne(prefix);
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    ticks = ProcessCpu.ticks(hub.pid()) - ticks0;
                    rate = DEVICES / seconds;
                    hub.kill();
                } finally {
                    hub.close();
                }
                long found;
                try (LocalHubProcess restarted = bench.hubProcess(dir, 0).start()) {
                    found = new Client(bench, restarted.hubEnv()).count(prefix);
                }
                missing += DEVICES - found;
                (bulk ? bulkRate : singleRate).add(rate);
                if (bulk) {
                    hubCpuUsPerDevice.add(ticks * ProcessCpu.TICK_MS * 1000 / DEVICES);
                }
                System.out.printf(Locale.ROOT, "# bulk-create round %d %-11s: %,d devices in %.2f s = %,.0f devices/s,"
                                + " hub CPU %.0f µs per device; after kill -9 and a restart %,d of them are there%n",
                        round, bulk ? "bulk" : "one by one", DEVICES, DEVICES / rate, rate,
                        ticks * ProcessCpu.TICK_MS * 1000 / DEVICES, found);
            }
        }
        return new SummaryLine(name())
                .put("devices", DEVICES)
                .put("clients", CLIENTS)
                .put("bulk_devices_per_s", bulkRate)
                .put("single_put_devices_per_s", singleRate)
                .put("ratio_bulk_to_single", bulkRate.median() / singleRate.median())
                .put("hub_cpu_us_per_device_bulk", hubCpuUsPerDevice)
                .put("devices_missing_after_kill9", missing)
                .put("goal", "measure_bulk_create_10000,committed_before_answer")
                .put("verdict", missing == 0 ? "measured" : "LOST_DEVICES");
    }

    /** HTTPS to one hub as the owner policy, in {@link #CLIENTS} threads (the inspector scenario fills hubs with it). */
    static final class Client {
        private final SSLContext tls;
        private final String base;
        private final String token;

        Client(BenchEnvironment bench, HubEnvFile env) throws Exception {
            HubHttps https = HubHttps.of(bench, env);
            tls = https.tls();
            token = https.ownerToken();
            base = https.base();
        }

        private HttpClient http() {
            return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(base + path + (path.contains("?") ? "&" : "?")
                            + "api-version=2021-04-12"))
                    .header("Authorization", token)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .timeout(Duration.ofSeconds(60));
        }

        /**
         * Creates {@code devices} devices named {@code prefix0, prefix1, ...}, in calls of up to {@link #PER_CALL}
         * that the clients take from a shared counter.
         */
        void createInBulk(String prefix, int devices) throws Exception {
            AtomicInteger nextCall = new AtomicInteger();
            int calls = (devices + PER_CALL - 1) / PER_CALL;
            inClients(http -> {
                for (int call = nextCall.getAndIncrement(); call < calls; call = nextCall.getAndIncrement()) {
                    StringBuilder body = new StringBuilder("[");
                    for (int i = 0; i < Math.min(PER_CALL, devices - call * PER_CALL); i++) {
                        body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(prefix).append(call * PER_CALL + i)
                                .append("\",\"importMode\":\"create\"}");
                    }
                    HttpResponse<String> response = http.send(request("/devices/")
                            .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("bulk create answered " + response.statusCode() + ": "
                                + response.body());
                    }
                }
            });
        }

        void createOneByOne(String prefix) throws Exception {
            AtomicInteger next = new AtomicInteger();
            inClients(http -> {
                for (int i = next.getAndIncrement(); i < DEVICES; i = next.getAndIncrement()) {
                    String id = prefix + i;
                    HttpResponse<String> response = http.send(request("/devices/" + id)
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + id + "\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("PUT /devices/" + id + " answered " + response.statusCode()
                                + ": " + response.body());
                    }
                }
            });
        }

        /** How many devices whose id starts with {@code prefix} the registry statistics and a query count. */
        long count(String prefix) throws Exception {
            HttpResponse<String> response = http().send(request("/devices/query")
                    .header("x-ms-max-item-count", "1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"SELECT COUNT() AS n FROM devices WHERE"
                            + " STARTS_WITH(deviceId, '" + prefix + "')\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("count query answered " + response.statusCode() + ": "
                        + response.body());
            }
            return com.google.gson.JsonParser.parseString(response.body()).getAsJsonArray().get(0).getAsJsonObject()
                    .get("n").getAsLong();
        }

        private interface Work {
            void run(HttpClient http) throws Exception;
        }

        private void inClients(Work work) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    running.add(pool.submit(() -> {
                        work.run(http());
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
