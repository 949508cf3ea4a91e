package lab.devicetwins.localhub.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.ProxyOptions;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinClientOptions;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.process.LocalHubProcess;
import lab.devicetwins.localhub.tls.DevelopmentCaTrust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every update the hub acknowledged survives {@code kill -9}: kill the hub (a separate JVM from the command-line jar)
 * while a device reports and a back end writes desired properties, restart it on the same data directory, and find
 * every acknowledged update there.
 *
 * <p>Each update sets {@code counter} to its sequence number and adds a key of its own ({@code r17}, {@code d17}), so
 * the check is direct: every acknowledged key is there, and the counters and {@code $version}s are at least as new as
 * the last acknowledged ones (an update may have been committed and then killed before its answer went out).
 */
class HubKilledMidStreamIT {

    private static final String DEVICE = "myDeviceId";
    /** Enough acknowledged updates on both sides that the kill lands while both streams are busy. */
    private static final int ACKNOWLEDGED_BEFORE_KILL = 40;

    @TempDir
    Path dataDirectory;

    /** Sequence number -> the section's {@code $version} the hub answered with. */
    private final ConcurrentSkipListMap<Integer, Long> reportedAcks = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Integer, Long> desiredAcks = new ConcurrentSkipListMap<>();
    private final AtomicBoolean writing = new AtomicBoolean(true);

    @Test
    void every_acknowledged_reported_and_desired_update_survives_a_kill_9() throws Exception {
        DeviceClient device;
        Thread reporter;
        Thread backEnd;
        try (LocalHubProcess hub = startHub()) {
            SSLContext trust = trust(hub);
            HttpsURLConnection.setDefaultSSLSocketFactory(trust.getSocketFactory());
            device = new DeviceClient(hub.hubEnv().require(HubEnvFile.DEVICE_CONNECTION_STRING),
                    IotHubClientProtocol.MQTT, ClientOptions.builder().sslContext(trust).build());
            device.open(false);
            device.subscribeToDesiredProperties((twin, context) -> { }, null);
            TwinClient twins = twins(hub);

            reporter = writer("reporter", sequence -> {
                TwinCollection reported = new TwinCollection();
                reported.put("counter", sequence);
                reported.put("r" + sequence, sequence);
                CompletableFuture<Void> answered = new CompletableFuture<>();
                device.updateReportedPropertiesAsync(reported, (status, response, error, context) -> {
                    if (status == IotHubStatusCode.OK) {
                        reportedAcks.put(sequence, (long) response.getVersion());
                    }
                    answered.complete(null);
                }, null);
                // waits at most 3 s, and only while the hub is up: the SDK can lose an answer
                // (azure-iot-sdk-java#1803), and after the kill it retries until the client is closed; an update
                // without an answer is not counted as acknowledged
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (writing.get() && !answered.isDone() && System.nanoTime() < giveUp) {
                    try {
                        answered.get(50, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException stillWaiting) {
                        // look at writing again
                    }
                }
            });
            backEnd = writer("back-end", sequence -> {
                Twin patch = new Twin(DEVICE);
                patch.getDesiredProperties().put("counter", sequence);
                patch.getDesiredProperties().put("d" + sequence, sequence);
                desiredAcks.put(sequence, (long) twins.patch(patch).getDesiredProperties().getVersion());
            });
            await("both streams acknowledged").atMost(Duration.ofMinutes(3)).until(() ->
                    reportedAcks.size() >= ACKNOWLEDGED_BEFORE_KILL && desiredAcks.size() >= ACKNOWLEDGED_BEFORE_KILL);

            hub.kill();
        }
        writing.set(false);
        reporter.join(60_000);
        backEnd.join(60_000);
        // closed before the restart, so no answer from the restarted hub is taken for one from the killed hub
        device.close();

        try (LocalHubProcess hub = startHub()) {
            HttpsURLConnection.setDefaultSSLSocketFactory(trust(hub).getSocketFactory());
            Twin twin = twins(hub).get(DEVICE);

            assertSurvived(twin.getReportedProperties(), twin.getReportedProperties().getVersion(), "r", reportedAcks);
            assertSurvived(twin.getDesiredProperties(), twin.getDesiredProperties().getVersion(), "d", desiredAcks);
            assertThat(twin.getConnectionState()).as("nobody is connected to a hub that just started")
                    .isEqualTo("DISCONNECTED");
            hub.stop();
        }
    }

    private LocalHubProcess startHub() throws Exception {
        return LocalHubProcess.builder(LocalHubCommandIT.JAR).dataDirectory(dataDirectory).host(LocalHubCommandIT.HOST)
                .arguments("--https-port", "0").start();
    }

    private static SSLContext trust(LocalHubProcess hub) throws Exception {
        return DevelopmentCaTrust.fromPemFile(hub.hubEnv().path(HubEnvFile.CA_PEM).orElseThrow()).sslContext();
    }

    /** The owner policy, through the hub's CONNECT proxy (HTTPS is on a free port, not 443). */
    private static TwinClient twins(LocalHubProcess hub) {
        Proxy proxy = new Proxy(Proxy.Type.HTTP,
                new InetSocketAddress(hub.host(), hub.hubEnv().port(HubEnvFile.PROXY_PORT).orElseThrow()));
        return new TwinClient(hub.hubEnv().require(HubEnvFile.OWNER_CONNECTION_STRING),
                TwinClientOptions.builder().proxyOptions(new ProxyOptions(proxy)).build());
    }

    private static void assertSurvived(Map<String, Object> section, int version, String prefix,
                                       ConcurrentSkipListMap<Integer, Long> acks) {
        int lastSequence = acks.lastKey();
        long lastVersion = acks.get(lastSequence);
        for (int sequence : acks.keySet()) {
            assertThat(section).as("acknowledged update %s%d", prefix, sequence).containsKey(prefix + sequence);
        }
        assertThat(((Number) section.get("counter")).intValue()).isGreaterThanOrEqualTo(lastSequence);
        assertThat(version).isGreaterThanOrEqualTo((int) lastVersion);
    }

    /** Writes updates 1, 2, 3, … one after another until told to stop; a failed update is not acknowledged. */
    private Thread writer(String name, Update update) {
        Thread thread = new Thread(() -> {
            for (int sequence = 1; writing.get(); sequence++) {
                try {
                    update.write(sequence);
                } catch (Exception refusedOrKilled) {
                    // not acknowledged: nothing to find after the restart
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @FunctionalInterface
    private interface Update {
        void write(int sequence) throws Exception;
    }
}
