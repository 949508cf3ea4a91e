package lab.devicetwins.bench;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.service.ProxyOptions;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinClientOptions;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.process.LocalHubProcess;
import lab.devicetwins.localhub.tls.DevelopmentCaTrust;

/**
 * Scenario 1: a desired-property change through the official SDKs, as an application sees it: from the moment
 * {@code TwinClient.patch} is called to the moment the device client's desired-properties callback fires. The
 * service SDK goes through the hub's CONNECT proxy (HTTPS is not on 443 for a non-root user), the device SDK over
 * MQTT/TLS on 8883. Goal: p50 at most 15 ms, p99 at most 50 ms.
 */
final class DesiredPropagation implements Scenario, Bench.SharesTheHub {
    static final int PATCHES_PER_RUN = 200;
    static final int WARMUP_PATCHES = 100;
    static final double GOAL_P50_MS = 15;
    static final double GOAL_P99_MS = 50;

    @Override
    public String name() {
        return "desired";
    }

    /** The figures of one device-client configuration over the rounds. */
    private static final class Figures {
        final Figure p50 = new Figure();
        final Figure p99 = new Figure();
        final Figure callP50 = new Figure();
        final Figure afterReturnP50 = new Figure();
        long hubTicks;
        long selfTicks;
        int patches;
    }

    @Override
    public SummaryLine run(BenchContext context) throws Exception {
        BenchEnvironment bench = context.bench();
        LocalHubProcess hub = context.hub();
        HubEnvFile env = hub.hubEnv();
        SSLContext tls = DevelopmentCaTrust.fromPemFile(env.path(HubEnvFile.CA_PEM).orElseThrow()).sslContext();
        HttpsURLConnection.setDefaultSSLSocketFactory(tls.getSocketFactory());
        TwinClient twins = new TwinClient(env.require(HubEnvFile.OWNER_CONNECTION_STRING), TwinClientOptions.builder()
                .proxyOptions(new ProxyOptions(new Proxy(Proxy.Type.HTTP,
                        new InetSocketAddress(bench.hubHost(), env.port(HubEnvFile.PROXY_PORT).orElseThrow()))))
                .build());
        // The device SDK hands received messages to callbacks from a thread that wakes every receiveInterval ms
        // (10 by default): measured as shipped, and with 1 ms to show what the hub itself takes.
        Figures shipped = new Figures();
        Figures fastPoll = new Figures();
        for (int round = 1; round <= bench.runs(); round++) {
            boolean shippedFirst = round % 2 == 1; // swapped each round so warm-up favours neither
            for (boolean asShipped : shippedFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                if (asShipped) {
                    measure(bench, hub, tls, twins, round, ClientOptions.builder().sslContext(tls).build(), shipped,
                            "SDK defaults (receiveInterval 10 ms)");
                } else {
                    measure(bench, hub, tls, twins, round,
                            ClientOptions.builder().sslContext(tls).receiveInterval(1).build(), fastPoll,
                            "receiveInterval 1 ms");
                }
            }
        }
        return new SummaryLine(name())
                .put("p50_ms", shipped.p50)
                .put("p99_ms", shipped.p99)
                .put("patch_call_p50_ms", shipped.callP50)
                .put("after_return_p50_ms", shipped.afterReturnP50)
                .put("p50_ms_rx1ms", fastPoll.p50)
                .put("p99_ms_rx1ms", fastPoll.p99)
                .put("hub_cpu_ms_per_patch", shipped.hubTicks * ProcessCpu.TICK_MS / Math.max(1, shipped.patches))
                .put("sdk_cpu_ms_per_patch", shipped.selfTicks * ProcessCpu.TICK_MS / Math.max(1, shipped.patches))
                .put("goal", "p50<=" + (int) GOAL_P50_MS + "ms,p99<=" + (int) GOAL_P99_MS + "ms")
                .put("verdict", SideBySide.verdict(shipped.p50.median() <= GOAL_P50_MS
                        && shipped.p99.median() <= GOAL_P99_MS));
    }

    private static void measure(BenchEnvironment bench, LocalHubProcess hub, SSLContext tls, TwinClient twins, int round,
                                ClientOptions options, Figures figures, String label) throws Exception {
        String deviceId = BenchDevices.SDK_DEVICE;
        DeviceClient device = new DeviceClient("HostName=" + bench.hubHost() + ";DeviceId=" + deviceId
                + ";SharedAccessKey=" + BenchDevices.key(deviceId), IotHubClientProtocol.MQTT, options);
        LinkedBlockingQueue<long[]> arrivals = new LinkedBlockingQueue<>();
        Latencies propagation = new Latencies();
        Latencies call = new Latencies();
        Latencies afterReturn = new Latencies();
        try {
            device.open(false);
            device.subscribeToDesiredProperties((twin, ctx) -> {
                long now = System.nanoTime();
                Object seq = twin.getDesiredProperties().get("seq");
                if (seq instanceof Number n) {
                    arrivals.add(new long[] {n.longValue(), now});
                }
            }, null);
            long seq = System.currentTimeMillis();
            long hubBefore = ProcessCpu.ticks(hub.pid());
            long selfBefore = ProcessCpu.selfTicks();
            for (int i = 0; i < WARMUP_PATCHES + PATCHES_PER_RUN; i++) {
                seq++;
                Twin patch = new Twin(deviceId);
                patch.getDesiredProperties().put("seq", seq);
                long t0 = System.nanoTime();
                twins.patch(patch);
                long returned = System.nanoTime();
                long arrived = awaitArrival(arrivals, seq);
                if (i >= WARMUP_PATCHES) {
                    propagation.add(arrived - t0);
                    call.add(returned - t0);
                    afterReturn.add(Math.max(0, arrived - returned));
                }
                if (i == WARMUP_PATCHES - 1) {
                    hubBefore = ProcessCpu.ticks(hub.pid());
                    selfBefore = ProcessCpu.selfTicks();
                }
            }
            figures.hubTicks += ProcessCpu.ticks(hub.pid()) - hubBefore;
            figures.selfTicks += ProcessCpu.selfTicks() - selfBefore;
            figures.patches += PATCHES_PER_RUN;
        } finally {
            device.close();
        }
        figures.p50.add(propagation.percentileMicros(0.5) / 1000);
        figures.p99.add(propagation.percentileMicros(0.99) / 1000);
        figures.callP50.add(call.percentileMicros(0.5) / 1000);
        figures.afterReturnP50.add(afterReturn.percentileMicros(0.5) / 1000);
        System.out.printf(Locale.ROOT, "# desired round %d, %s: patch call -> callback p50 %.2f ms p99 %.2f ms;"
                        + " patch call p50 %.2f ms; callback after patch returned p50 %.2f ms%n", round, label,
                propagation.percentileMicros(0.5) / 1000, propagation.percentileMicros(0.99) / 1000,
                call.percentileMicros(0.5) / 1000, afterReturn.percentileMicros(0.5) / 1000);
    }

    private static long awaitArrival(LinkedBlockingQueue<long[]> arrivals, long seq) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            long[] arrival = arrivals.poll(1, TimeUnit.SECONDS);
            if (arrival != null && arrival[0] == seq) {
                return arrival[1];
            }
        }
        throw new IllegalStateException("the device did not receive desired seq=" + seq + " within 30 s");
    }
}
