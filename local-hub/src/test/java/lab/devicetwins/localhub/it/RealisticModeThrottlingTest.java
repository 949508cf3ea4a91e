package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.exceptions.ErrorCodeDescription;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubTooManyRequestsException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.localhub.realism.Operation;
import lab.devicetwins.localhub.realism.Throttles;
import lab.devicetwins.localhub.realism.Tier;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Realistic mode's throttles through the official SDKs and the raw wire: a burst above a tier's quota gets as many
 * operations through as the quota allows (plus what the rate refills while the burst lasts) and 429s for the rest,
 * with IoT Hub's error on HTTPS and status 429 on MQTT twin responses; traffic shaping holds operations instead of
 * refusing them within its limit; nothing refused is applied and nothing acknowledged is lost. The local profile
 * throttles nothing.
 */
class RealisticModeThrottlingTest {
    private LocalHub hub;
    private OfficialSdks sdks;
    private final List<AutoCloseable> clients = new ArrayList<>();

    private void start(HubProfile profile) {
        hub = LocalHub.builder().inMemory().httpsPort(0).profile(profile.withQueryLag(Duration.ZERO)
                .withIdentityPropagation(Duration.ZERO)).start();
        sdks = new OfficialSdks(hub);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    /** Operations a throttle may let through during a burst that lasted {@code nanos}: its burst plus the refill. */
    private static long allowed(HubProfile profile, Operation operation, long nanos) {
        var rate = profile.rates().get(operation);
        return (long) Math.floor(rate.burst() + rate.perSecond() * nanos / 1e9) + 1;
    }

    @ParameterizedTest(name = "S1 with {0} unit(s)")
    @ValueSource(ints = {1, 3})
    void aBurstOfQueriesGetsTheQuotaThroughAndThrottlingExceptionsForTheRest(int units) throws Exception {
        HubProfile s1 = HubProfile.of(Tier.S1, units).withShapingLimit(Duration.ZERO);
        start(s1);
        int quota = 20 * units;
        int burst = quota + 25;
        QueryClient queries = sdks.queries();
        int answered = 0;
        List<IotHubException> refused = new ArrayList<>();
        long began = System.nanoTime();
        for (int i = 0; i < burst; i++) {
            try {
                queries.queryTwins("SELECT * FROM devices");
                answered++;
            } catch (IotHubTooManyRequestsException e) {
                refused.add(e);
            }
        }
        long took = System.nanoTime() - began;
        assertThat(answered).isBetween(quota, (int) Math.min(burst, allowed(s1, Operation.QUERIES, took)));
        assertThat(refused).hasSize(burst - answered).allSatisfy(e -> {
            assertThat(e.getErrorCode()).isEqualTo(429001);
            assertThat(e.getErrorCodeDescription()).isEqualTo(ErrorCodeDescription.ThrottlingException);
        });
        Throttles.Counts counts = hub.throttleCounts().get(Operation.QUERIES);
        assertThat(counts.admitted()).isEqualTo(answered);
        assertThat(counts.throttled()).isEqualTo(refused.size());
    }

    @Test
    void a429CarriesIoTHubsErrorBodyAndNamesTheQuota() throws Exception {
        start(HubProfile.of(Tier.S1, 1).withShapingLimit(Duration.ZERO));
        ServiceRestClient rest = new ServiceRestClient(hub);
        HttpResponse<String> last = null;
        for (int i = 0; i < 21; i++) {
            last = rest.send("POST", "/devices/query?api-version=2021-04-12", "{\"query\":\"SELECT * FROM devices\"}");
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("iothub-errorcode")).hasValue("ThrottlingException");
        JsonObject inner = ServiceRestClient.innerError(last);
        assertThat(inner.get("errorCode").getAsInt()).isEqualTo(429001);
        assertThat(inner.get("message").getAsString()).contains("queries", "an S1 hub with 1 unit", "20/min/unit").doesNotContain("Exception:");
    }

    @Test
    void refusedRegistryWritesAreNotAppliedAndEveryAcceptedOneIsStored() throws Exception {
        HubProfile s1 = HubProfile.of(Tier.S1, 1).withShapingLimit(Duration.ZERO);
        start(s1);
        RegistryClient registry = sdks.registry();
        Set<String> created = new HashSet<>();
        int refused = 0;
        for (int i = 0; i < 130; i++) {
            String id = "burst-" + i;
            try {
                registry.addDevice(new Device(id));
                created.add(id);
            } catch (IotHubTooManyRequestsException e) {
                refused++;
            }
        }
        // 100/min/unit, all at once when idle: the seeded device's creation did not go through the API
        assertThat(created.size()).isBetween(100, 110);
        assertThat(refused).isEqualTo(130 - created.size());
        // queries have a throttle of their own: one page lists every device
        TwinQueryResponse rows = sdks.queries().queryTwins("SELECT deviceId FROM devices",
                QueryPageOptions.builder().pageSize(100).build());
        Set<String> stored = new HashSet<>();
        while (rows.hasNext()) {
            stored.add(rows.next().getDeviceId());
        }
        stored.remove(LocalHub.DEFAULT_DEVICE_ID);
        assertThat(stored).isEqualTo(created);
    }

    @Test
    void aBulkRegistryRequestCostsOneOperationPerIdentity() throws Exception {
        start(HubProfile.of(Tier.S1, 1).withShapingLimit(Duration.ZERO));
        ServiceRestClient rest = new ServiceRestClient(hub);
        List<Integer> statuses = new ArrayList<>();
        // the quotas page's own example: two bulk requests of 50 in a minute on S1, the third refused
        for (int request = 0; request < 3; request++) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 50; i++) {
                body.append(i == 0 ? "" : ",").append("{\"id\":\"bulk-").append(request).append('-').append(i)
                        .append("\",\"importMode\":\"create\"}");
            }
            statuses.add(rest.send("POST", "/devices?api-version=2021-04-12", body.append(']').toString()).statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 429);
    }

    @Test
    void twinUpdatesOverMqttGetStatus429PastTheQuotaAndEveryAcceptedOneIsInTheTwin() throws Exception {
        HubProfile s1 = HubProfile.of(Tier.S1, 1).withShapingLimit(Duration.ZERO);
        start(s1);
        RawMqttDevice device = new RawMqttDevice(hub, LocalHub.DEFAULT_DEVICE_ID);
        clients.add(device);
        device.connect(true);
        device.subscribe("$iothub/twin/res/#");
        int sent = 150;
        long began = System.nanoTime();
        for (int i = 0; i < sent; i++) {
            device.publishNoWait("$iothub/twin/PATCH/properties/reported/?$rid=" + i, "{\"n\":" + i + "}", 0);
        }
        Map<String, RawMqttDevice.Received> responses = responsesByRid(device, sent);
        int accepted = 0;
        int throttled = 0;
        for (RawMqttDevice.Received response : responses.values()) {
            if (response.topic().startsWith("$iothub/twin/res/204/")) {
                accepted++;
            } else {
                assertThat(response.topic()).startsWith("$iothub/twin/res/429/");
                assertThat(JsonParser.parseString(response.payload()).getAsJsonObject().get("errorCode").getAsInt())
                        .isEqualTo(429001);
                throttled++;
            }
        }
        long took = System.nanoTime() - began;
        assertThat(accepted).isBetween(50, (int) Math.min(sent, allowed(s1, Operation.TWIN_UPDATES, took)));
        assertThat(throttled).isEqualTo(sent - accepted);
        // every acknowledged update is in the twin: each one raised the reported $version by one
        JsonObject twin = JsonParser.parseString(new ServiceRestClient(hub).send("GET",
                "/twins/" + LocalHub.DEFAULT_DEVICE_ID + "?api-version=2021-04-12", null).body()).getAsJsonObject();
        assertThat(twin.getAsJsonObject("properties").getAsJsonObject("reported").get("$version").getAsInt())
                .isEqualTo(1 + accepted);
    }

    /**
     * The answers to twin requests {@code 0..count-1}, in whatever order they come: a refusal is answered at once, an
     * accepted update once it is stored.
     */
    private static Map<String, RawMqttDevice.Received> responsesByRid(RawMqttDevice device, int count)
            throws InterruptedException {
        Map<String, RawMqttDevice.Received> byRid = new HashMap<>();
        while (byRid.size() < count) {
            RawMqttDevice.Received received = device.next();
            int rid = received.topic().indexOf("?$rid=");
            if (received.topic().startsWith("$iothub/twin/res/") && rid > 0) {
                assertThat(byRid.put(received.topic().substring(rid + 6).split("&")[0], received))
                        .as("one answer per request").isNull();
            }
        }
        return byRid;
    }

    @Test
    void theDeviceSdkHearsAThrottledTwinUpdateAsThrottled() throws Exception {
        start(HubProfile.of(Tier.S1, 1).withShapingLimit(Duration.ZERO));
        DeviceClient device = sdks.device(LocalHub.DEFAULT_DEVICE_ID);
        clients.add(device::close);
        device.open(true);
        device.subscribeToDesiredProperties((twin, context) -> { }, null);
        DeviceTwinRequests.getTwin(device);
        int sent = 120;
        BlockingQueue<IotHubStatusCode> statuses = new LinkedBlockingQueue<>();
        for (int i = 0; i < sent; i++) {
            TwinCollection patch = new TwinCollection();
            patch.put("n", i);
            device.updateReportedPropertiesAsync(patch, (status, response, e, context) -> statuses.add(status), null);
        }
        // iot-device-client 2.5.0 may lose an answer (Azure/azure-iot-sdk-java#1803): wait for both kinds, not all
        List<IotHubStatusCode> answers = new ArrayList<>();
        while (!(answers.contains(IotHubStatusCode.OK) && answers.contains(IotHubStatusCode.THROTTLED))) {
            IotHubStatusCode status = statuses.poll(30, TimeUnit.SECONDS);
            assertThat(status).as("an answer after %s", answers).isNotNull();
            answers.add(status);
        }
        statuses.drainTo(answers);
        assertThat(answers).contains(IotHubStatusCode.OK, IotHubStatusCode.THROTTLED)
                .containsOnly(IotHubStatusCode.OK, IotHubStatusCode.THROTTLED);
    }

    @Test
    void shapingHoldsABurstWithinItsLimitInsteadOfRefusingIt() throws Exception {
        start(HubProfile.of(Tier.S1, 1).withShapingLimit(Duration.ofSeconds(3)));
        RawMqttDevice device = new RawMqttDevice(hub, LocalHub.DEFAULT_DEVICE_ID);
        clients.add(device);
        device.connect(true);
        device.subscribe("$iothub/twin/res/#");
        // 100 reads/s at once, then one every 10 ms: 150 reads fit in well under the 3 s limit
        int sent = 150;
        for (int i = 0; i < sent; i++) {
            device.publishNoWait("$iothub/twin/GET/?$rid=" + i, "", 0);
        }
        assertThat(responsesByRid(device, sent).values())
                .allSatisfy(response -> assertThat(response.topic()).startsWith("$iothub/twin/res/200/"));
        Throttles.Counts reads = hub.throttleCounts().get(Operation.TWIN_READS);
        assertThat(reads.throttled()).isZero();
        assertThat(reads.shaped()).isPositive();
        assertThat(reads.admitted() + reads.shaped()).isEqualTo(sent);
    }

    @Test
    void theLocalProfileThrottlesNothing() throws Exception {
        hub = LocalHub.builder().inMemory().httpsPort(0).start();
        sdks = new OfficialSdks(hub);
        QueryClient queries = sdks.queries();
        for (int i = 0; i < 60; i++) {
            queries.queryTwins("SELECT * FROM devices");
        }
        RegistryClient registry = sdks.registry();
        for (int i = 0; i < 120; i++) {
            registry.addDevice(new Device("local-" + UUID.randomUUID()));
        }
        assertThat(hub.profile()).isEqualTo(HubProfile.local());
        assertThat(hub.throttleCounts()).isEqualTo(Map.of());
    }
}
