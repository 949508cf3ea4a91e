package lab.devicetwins.localhub.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.service.ProxyOptions;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJob;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJobStatus;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJobsClient;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJobsClientOptions;
import com.microsoft.azure.sdk.iot.service.query.JobQueryResponse;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.QueryClientOptions;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.auth.SasToken;
import lab.devicetwins.localhub.process.LocalHubProcess;
import lab.devicetwins.localhub.tls.DevelopmentCaTrust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's acknowledged device results survive {@code kill -9}: a twin job over 4,000 devices is killed with its
 * hub (the command-line jar in its own JVM) while it runs; after a restart on the same data directory every device
 * result that was readable before the kill is still there, and the job goes on to finish every device.
 */
class JobKilledMidRunIT {
    private static final int DEVICES = 4_000;
    private static final String JOB = "wave-1";

    @TempDir
    Path dataDirectory;

    @Test
    void device_results_read_before_a_kill_9_are_there_after_the_restart_and_the_job_finishes() throws Exception {
        Set<String> completedBeforeKill;
        try (LocalHubProcess hub = startHub()) {
            createFleet(hub);
            Twin update = new Twin();
            update.getDesiredProperties().put("wave", 1);
            jobs(hub).scheduleUpdateTwin(JOB, "tags.fleet = 'k'", update, new Date(), 3600);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> jobs(hub).get(JOB).getJobStatistics().getSucceededCount() >= 200);
            // one page of device results, then the kill: reading all of them would outlast the job
            completedBeforeKill = completedDevices(hub, 100);
            ScheduledJob atKill = jobs(hub).get(JOB);
            hub.kill();
            assertThat(atKill.getJobStatus()).as("the kill lands while the job runs").isEqualTo(ScheduledJobStatus.running);
        }
        assertThat(completedBeforeKill).isNotEmpty();

        try (LocalHubProcess hub = startHub()) {
            Set<String> completedAfterRestart = completedDevices(hub, DEVICES);
            assertThat(completedAfterRestart).containsAll(completedBeforeKill);

            await().atMost(Duration.ofSeconds(120)).until(() -> jobs(hub).get(JOB).getJobStatus()
                    == ScheduledJobStatus.completed);
            ScheduledJob done = jobs(hub).get(JOB);
            assertThat(done.getJobStatistics().getDeviceCount()).isEqualTo(DEVICES);
            assertThat(done.getJobStatistics().getSucceededCount()).isEqualTo(DEVICES);
            assertThat(completedDevices(hub, DEVICES)).hasSize(DEVICES);
        }
    }

    /** The hub on the test's data directory; the service SDK trusts its CA through the JVM's default factory. */
    private LocalHubProcess startHub() throws Exception {
        LocalHubProcess hub = LocalHubProcess.builder(LocalHubCommandIT.JAR).dataDirectory(dataDirectory)
                .host(LocalHubCommandIT.HOST).arguments("--https-port", "0", "--inspector-port", "-1").start();
        HttpsURLConnection.setDefaultSSLSocketFactory(trust(hub).getSocketFactory());
        return hub;
    }

    private static SSLContext trust(LocalHubProcess hub) throws Exception {
        return DevelopmentCaTrust.fromPemFile(hub.hubEnv().path(HubEnvFile.CA_PEM).orElseThrow()).sslContext();
    }

    /** Devices whose row in {@code devices.jobs} says completed, among the first {@code rowsToRead} rows. */
    private static Set<String> completedDevices(LocalHubProcess hub, int rowsToRead) throws Exception {
        Set<String> completed = new HashSet<>();
        JobQueryResponse rows = queries(hub).queryJobs("SELECT * FROM devices.jobs WHERE jobId = '" + JOB + "'",
                QueryPageOptions.builder().pageSize(100).build());
        for (int read = 0; read < rowsToRead && rows.hasNext(); read++) {
            ScheduledJob row = rows.next();
            if (row.getJobStatus() == ScheduledJobStatus.completed) {
                completed.add(row.getDeviceId());
            }
        }
        return completed;
    }

    /** {@link #DEVICES} devices tagged {@code fleet = k}, 100 per bulk call, straight to the hub's HTTPS port. */
    private static void createFleet(LocalHubProcess hub) throws Exception {
        HubEnvFile env = hub.hubEnv();
        HttpClient http = HttpClient.newBuilder().sslContext(trust(hub)).build();
        String owner = env.require(HubEnvFile.OWNER_CONNECTION_STRING);
        String token = SasToken.create(hub.host().toLowerCase(Locale.ROOT),
                owner.substring(owner.indexOf("SharedAccessKey=") + "SharedAccessKey=".length()), "iothubowner",
                Instant.now().plusSeconds(3600));
        URI bulk = URI.create("https://" + hub.host() + ":" + env.port(HubEnvFile.HTTPS_PORT).orElseThrow()
                + "/devices?api-version=2021-04-12");
        for (int call = 0; call < DEVICES / 100; call++) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 100; i++) {
                body.append(i == 0 ? "" : ",").append("{\"id\":\"fleet-").append(call * 100 + i)
                        .append("\",\"importMode\":\"create\",\"tags\":{\"fleet\":\"k\"}}");
            }
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(bulk).header("Authorization", token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            body.append(']').toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    private static ProxyOptions proxy(LocalHubProcess hub) {
        return new ProxyOptions(new Proxy(Proxy.Type.HTTP,
                new InetSocketAddress(hub.host(), hub.hubEnv().port(HubEnvFile.PROXY_PORT).orElseThrow())));
    }

    private static ScheduledJobsClient jobs(LocalHubProcess hub) {
        return new ScheduledJobsClient(hub.hubEnv().require(HubEnvFile.OWNER_CONNECTION_STRING),
                ScheduledJobsClientOptions.builder().proxyOptions(proxy(hub)).build());
    }

    private static QueryClient queries(LocalHubProcess hub) {
        return new QueryClient(hub.hubEnv().require(HubEnvFile.OWNER_CONNECTION_STRING),
                QueryClientOptions.builder().proxyOptions(proxy(hub)).build());
    }
}
