package lab.devicetwins.bench;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import lab.devicetwins.localhub.tls.DevelopmentCaTrust;

/**
 * Scenario 7: how often iot-device-client 2.5.0 loses the answer to a synchronous twin call against the hub
 * (Azure/azure-iot-sdk-java#1803, contract §9). The hub answers every request (the raw-MQTT tests prove that), so a
 * call that times out here is the SDK dropping the answer. Per round: {@code bench.loss.calls} (default 500)
 * sequential {@code getTwin} and as many {@code updateReportedProperties} on one connection, then one call each on
 * a fifth as many fresh connections (open, subscribe, one call, close: the pattern of most tests and samples). Each
 * call waits {@code bench.loss.timeoutMillis} (default 2000) before it counts as lost.
 *
 * <p>Figures from the same measurement with the hub in the test JVM, on a loaded 2-core machine, 500 sequential calls
 * each: with twin responses at QoS 1 (the request's QoS), getTwin lost 0.6–2.4 % and updateReportedProperties 0–1.4 %,
 * about 45 ms per call; at QoS 0 (what the hub sends) none in 3,500 calls of each kind, about 11 ms per call, and none
 * in 200 first calls after open. Rare is not never at QoS 0: a full test run once lost the first reported update of a
 * connection, which is why the tests make their twin calls through {@link DeviceTwinRequests}.
 * Goal: no answer lost.
 */
final class TwinResponseLoss implements Scenario, Bench.SharesTheHub {
    static final int CALLS = Integer.getInteger("bench.loss.calls", 500);
    static final int TIMEOUT_MILLIS = Integer.getInteger("bench.loss.timeoutMillis", 2000);

    @Override
    public String name() {
        return "twin-loss";
    }

    /** The figures of all rounds. */
    private static final class Figures {
        final Figure getLostPercent = new Figure();
        final Figure getMillisPerCall = new Figure();
        final Figure patchLostPercent = new Figure();
        final Figure patchMillisPerCall = new Figure();
        final Figure firstCallLostPercent = new Figure();
        long lost;
        boolean usableAfterLosses = true;
    }

    @Override
    public SummaryLine run(BenchContext context) throws Exception {
        BenchEnvironment bench = context.bench();
        HubEnvFile env = context.hub().hubEnv();
        SSLContext tls = DevelopmentCaTrust.fromPemFile(env.path(HubEnvFile.CA_PEM).orElseThrow()).sslContext();
        String connectionString = "HostName=" + bench.hubHost() + ";DeviceId=" + BenchDevices.SDK_DEVICE
                + ";SharedAccessKey=" + BenchDevices.key(BenchDevices.SDK_DEVICE);
        Figures figures = new Figures();
        for (int round = 1; round <= bench.runs(); round++) {
            sequentialCalls(connectionString, tls, round, figures);
            firstCallsAfterOpen(connectionString, tls, round, figures);
        }
        return new SummaryLine(name())
                .put("calls", CALLS)
                .put("timeout_ms", TIMEOUT_MILLIS)
                .put("get_lost_pct", figures.getLostPercent)
                .put("get_ms_per_call", figures.getMillisPerCall)
                .put("patch_lost_pct", figures.patchLostPercent)
                .put("patch_ms_per_call", figures.patchMillisPerCall)
                .put("first_call_lost_pct", figures.firstCallLostPercent)
                .put("lost_total", figures.lost)
                .put("client_usable_after", figures.usableAfterLosses ? "yes" : "no")
                .put("goal", "no_answer_lost")
                .put("verdict", SideBySide.verdict(figures.lost == 0 && figures.usableAfterLosses));
    }

    /** One connection, {@link #CALLS} gets then as many reported patches, one after the other. */
    private static void sequentialCalls(String connectionString, SSLContext tls, int round, Figures figures)
            throws Exception {
        DeviceClient device = new DeviceClient(connectionString, IotHubClientProtocol.MQTT,
                ClientOptions.builder().sslContext(tls).build());
        device.open(false);
        try {
            device.subscribeToDesiredProperties((twin, ctx) -> { }, null);
            int lostGets = 0;
            long start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                lostGets += timedOut(() -> device.getTwin(TIMEOUT_MILLIS)) ? 1 : 0;
            }
            double getMillis = (System.nanoTime() - start) / 1e6;
            int lostPatches = 0;
            start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                TwinCollection reported = new TwinCollection();
                reported.put("counter", i);
                lostPatches += timedOut(() -> device.updateReportedProperties(reported, TIMEOUT_MILLIS)) ? 1 : 0;
            }
            double patchMillis = (System.nanoTime() - start) / 1e6;
            figures.getLostPercent.add(100.0 * lostGets / CALLS);
            figures.getMillisPerCall.add(getMillis / CALLS);
            figures.patchLostPercent.add(100.0 * lostPatches / CALLS);
            figures.patchMillisPerCall.add(patchMillis / CALLS);
            figures.lost += lostGets + lostPatches;
            // whatever was lost, the client must still be usable and the last update must have landed
            Object counter = DeviceTwinRequests.getTwin(device).getReportedProperties().get("counter");
            boolean usable = counter instanceof Number n && n.intValue() == CALLS - 1;
            figures.usableAfterLosses &= usable;
            System.out.printf(Locale.ROOT, "# twin-loss round %d, %d calls on one connection, %d ms timeout: getTwin lost"
                            + " %d (%.1f ms per call), updateReportedProperties lost %d (%.1f ms per call); last update"
                            + " %s%n", round, CALLS, TIMEOUT_MILLIS, lostGets, getMillis / CALLS, lostPatches,
                    patchMillis / CALLS, usable ? "found" : "missing");
        } finally {
            device.close();
        }
    }

    /** A fifth as many connections as calls, each with one call (a patch or a get, in turn) right after open. */
    private static void firstCallsAfterOpen(String connectionString, SSLContext tls, int round, Figures figures)
            throws Exception {
        int connections = Math.max(1, CALLS / 5);
        int lostPatches = 0;
        int lostGets = 0;
        for (int i = 0; i < connections; i++) {
            DeviceClient device = new DeviceClient(connectionString, IotHubClientProtocol.MQTT,
                    ClientOptions.builder().sslContext(tls).build());
            device.open(false);
            try {
                device.subscribeToDesiredProperties((twin, ctx) -> { }, null);
                if (i % 2 == 0) {
                    TwinCollection reported = new TwinCollection();
                    reported.put("connection", i);
                    lostPatches += timedOut(() -> device.updateReportedProperties(reported, TIMEOUT_MILLIS)) ? 1 : 0;
                } else {
                    lostGets += timedOut(() -> device.getTwin(TIMEOUT_MILLIS)) ? 1 : 0;
                }
            } finally {
                device.close();
            }
        }
        figures.firstCallLostPercent.add(100.0 * (lostPatches + lostGets) / connections);
        figures.lost += lostPatches + lostGets;
        System.out.printf(Locale.ROOT, "# twin-loss round %d, first call after open on %d connections:"
                + " updateReportedProperties lost %d of %d, getTwin lost %d of %d%n", round, connections, lostPatches,
                (connections + 1) / 2, lostGets, connections / 2);
    }

    private interface TwinCall {
        void run() throws Exception;
    }

    private static boolean timedOut(TwinCall call) throws Exception {
        try {
            call.run();
            return false;
        } catch (IotHubClientException e) {
            if (e.getStatusCode() == IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT) {
                return true;
            }
            throw e;
        }
    }
}
