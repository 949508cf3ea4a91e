package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubBadFormatException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubConflictException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubTooManyRequestsException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.jobs.DirectMethodsJobOptions;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJob;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJobStatus;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJobType;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJobsClient;
import com.microsoft.azure.sdk.iot.service.query.JobQueryResponse;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import lab.devicetwins.localhub.sdk.SettableClock;
import lab.devicetwins.localhub.store.FailingHubStore;
import lab.devicetwins.localhub.store.InMemoryHubStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs through the unmodified service SDK ({@code ScheduledJobsClient}, {@code QueryClient.queryJobs}) with device
 * SDK clients on the other side: twin jobs over a tag query, method jobs over subscribed devices, start times by the
 * hub's clock, cancel, the maximum execution time, paging, and the state kept across a restart.
 */
class ScheduledJobsTest {
    @TempDir
    Path data;

    private final SettableClock clock = new SettableClock();
    private LocalHub hub;
    private OfficialSdks sdks;
    private ScheduledJobsClient jobs;
    private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        startHub(LocalHub.builder());
        for (String id : List.of("dev1", "dev2", "dev3")) {
            sdks.registry().addDevice(new Device(id));
        }
        tag("dev1", "building", 43);
        tag("dev2", "building", 43);
        tag("dev3", "building", 44);
    }

    private void startHub(LocalHub.Builder builder) {
        hub = builder.dataDirectory(data).httpsPort(0).clock(clock).start();
        sdks = new OfficialSdks(hub);
        jobs = sdks.jobs();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        hub.close();
    }

    private void tag(String deviceId, String name, Object value) throws Exception {
        Twin twin = sdks.twins().get(deviceId);
        twin.getTags().put(name, value);
        sdks.twins().patch(twin);
    }

    private static Twin desired(String name, Object value) {
        Twin twin = new Twin();
        twin.getDesiredProperties().put(name, value);
        return twin;
    }

    private Date now() {
        return Date.from(clock.instant());
    }

    private Date inSeconds(long seconds) {
        return Date.from(clock.instant().plusSeconds(seconds));
    }

    /** A connected device that answers every method with 200 and {"echo": payload}, counting the calls. */
    private List<String> answeringDevice(String deviceId) throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        DeviceClient device = sdks.device(deviceId);
        clients.add(device::close);
        device.open(false);
        device.subscribeToMethods((name, payload, ctx) -> {
            calls.add(name);
            return new DirectMethodResponse(200, Map.of("echo", payload.getPayloadAsJsonElement()));
        }, null);
        return calls;
    }

    /** A connected device subscribed to methods that never answers (the SDK sends nothing for a null answer). */
    private void silentDevice(String deviceId) throws Exception {
        DeviceClient device = sdks.device(deviceId);
        clients.add(device::close);
        device.open(false);
        device.subscribeToMethods((name, payload, ctx) -> null, null);
    }

    private ScheduledJob awaitStatus(String jobId, ScheduledJobStatus status) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> jobs.get(jobId), j -> j.getJobStatus() == status);
    }

    private List<JsonObject> deviceJobRows(String jobId) throws Exception {
        List<JsonObject> rows = new ArrayList<>();
        var response = sdks.queries().queryRaw("SELECT * FROM devices.jobs WHERE jobId = '" + jobId + "'");
        while (response.hasNext()) {
            rows.add(JsonParser.parseString(response.next()).getAsJsonObject());
        }
        return rows;
    }

    @Test
    void a_twin_job_over_a_tag_query_writes_every_selected_twin_before_the_create_returns() throws Exception {
        List<TwinCollection> received = new CopyOnWriteArrayList<>();
        DeviceClient device = sdks.device("dev1");
        clients.add(device::close);
        device.open(false);
        device.subscribeToDesiredProperties((twin, ctx) -> received.add(twin.getDesiredProperties()), null);
        Twin update = desired("mode", "eco");
        update.getTags().put("updatedBy", "twin-job");

        ScheduledJob job = jobs.scheduleUpdateTwin("twin-job", "tags.building = 43", update, now(), 60);

        assertThat(job.getJobStatus()).isEqualTo(ScheduledJobStatus.completed);
        assertThat(job.getJobType()).isEqualTo(ScheduledJobType.scheduleUpdateTwin);
        assertThat(job.getJobStatistics().getDeviceCount()).isEqualTo(2);
        assertThat(job.getJobStatistics().getSucceededCount()).isEqualTo(2);
        assertThat(job.getJobStatistics().getFailedCount()).isZero();
        for (String id : List.of("dev1", "dev2")) {
            Twin twin = sdks.twins().get(id);
            assertThat(twin.getDesiredProperties().get("mode")).as(id).isEqualTo("eco");
            assertThat(twin.getTags().get("updatedBy")).as(id).isEqualTo("twin-job");
        }
        assertThat(sdks.twins().get("dev3").getDesiredProperties().get("mode")).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(d -> "eco".equals(d.get("mode"))));
        assertThat(deviceJobRows("twin-job")).extracting(r -> r.get("deviceId").getAsString() + ":"
                + r.get("status").getAsString() + ":" + r.get("jobType").getAsString())
                .containsExactly("dev1:completed:scheduleUpdateTwin", "dev2:completed:scheduleUpdateTwin");
    }

    @Test
    void a_twin_job_with_a_stale_etag_fails_on_each_device_and_changes_no_twin() throws Exception {
        Twin update = desired("mode", "eco");
        update.setETag("\"not-the-etag\"");

        ScheduledJob job = jobs.scheduleUpdateTwin("stale-etag", "deviceId IN ['dev1', 'dev2']", update, now(), 60);

        assertThat(job.getJobStatus()).isEqualTo(ScheduledJobStatus.completed);
        assertThat(job.getJobStatistics().getFailedCount()).isEqualTo(2);
        assertThat(sdks.twins().get("dev1").getDesiredProperties().get("mode")).isNull();
        assertThat(deviceJobRows("stale-etag")).allSatisfy(row -> {
            assertThat(row.get("status").getAsString()).isEqualTo("failed");
            assertThat(row.getAsJsonObject("error").get("code").getAsString()).isEqualTo("PreconditionFailed");
        });
    }

    @Test
    void a_method_job_calls_every_subscribed_device_and_an_offline_one_fails_with_device_not_online() throws Exception {
        List<String> dev1Calls = answeringDevice("dev1");
        answeringDevice("dev2");
        // dev3 is not connected; the condition selects it too
        DirectMethodsJobOptions options = DirectMethodsJobOptions.builder().payload(Map.of("delay", 1))
                .methodResponseTimeoutSeconds(30).methodConnectTimeoutSeconds(0).maxExecutionTimeSeconds(60).build();

        ScheduledJob created = jobs.scheduleDirectMethod("method-job", "deviceId IN ['dev1', 'dev2', 'dev3']",
                "reboot", now(), options);

        assertThat(created.getJobType()).isEqualTo(ScheduledJobType.scheduleDeviceMethod);
        ScheduledJob done = awaitStatus("method-job", ScheduledJobStatus.completed);
        assertThat(done.getJobStatistics().getDeviceCount()).isEqualTo(3);
        assertThat(done.getJobStatistics().getSucceededCount()).isEqualTo(2);
        assertThat(done.getJobStatistics().getFailedCount()).isEqualTo(1);
        assertThat(dev1Calls).containsExactly("reboot");
        Map<String, JsonObject> rows = new HashMap<>();
        deviceJobRows("method-job").forEach(r -> rows.put(r.get("deviceId").getAsString(), r));
        assertThat(rows.get("dev1").getAsJsonObject("outcome")).isEqualTo(JsonParser.parseString(
                "{\"deviceMethodResponse\":{\"status\":200,\"payload\":{\"echo\":{\"delay\":1}}}}"));
        assertThat(rows.get("dev3").get("status").getAsString()).isEqualTo("failed");
        assertThat(rows.get("dev3").getAsJsonObject("error").get("code").getAsString()).isEqualTo("DeviceNotOnline");
        // the SDK's own reader takes the rows too
        JobQueryResponse viaSdk = sdks.queries().queryJobs("SELECT * FROM devices.jobs WHERE jobId = 'method-job'");
        List<String> devices = new ArrayList<>();
        while (viaSdk.hasNext()) {
            ScheduledJob row = viaSdk.next();
            assertThat(row.getJobType()).isEqualTo(ScheduledJobType.scheduleDeviceMethod);
            devices.add(row.getDeviceId() + ":" + row.getJobStatus());
        }
        assertThat(devices).containsExactly("dev1:completed", "dev2:completed", "dev3:failed");
    }

    @Test
    void a_job_scheduled_for_later_waits_for_the_hub_clock_to_reach_its_start_time() throws Exception {
        ScheduledJob created = jobs.scheduleUpdateTwin("later", "deviceId = 'dev1'", desired("mode", "night"),
                inSeconds(120), 600);

        assertThat(created.getJobStatus()).isEqualTo(ScheduledJobStatus.scheduled);
        clock.advanceSeconds(119);
        Thread.sleep(300); // several runner ticks: the job must still wait
        assertThat(jobs.get("later").getJobStatus()).isEqualTo(ScheduledJobStatus.scheduled);
        assertThat(sdks.twins().get("dev1").getDesiredProperties().get("mode")).isNull();

        clock.advanceSeconds(1);

        awaitStatus("later", ScheduledJobStatus.completed);
        assertThat(sdks.twins().get("dev1").getDesiredProperties().get("mode")).isEqualTo("night");
    }

    @Test
    void a_job_cancelled_before_its_start_never_runs() throws Exception {
        jobs.scheduleUpdateTwin("cancel-me", "deviceId = 'dev1'", desired("mode", "never"), inSeconds(60), 600);

        ScheduledJob cancelled = jobs.cancel("cancel-me");
        clock.advanceSeconds(61);
        Thread.sleep(300);

        assertThat(cancelled.getJobStatus()).isEqualTo(ScheduledJobStatus.cancelled);
        assertThat(jobs.get("cancel-me").getJobStatus()).isEqualTo(ScheduledJobStatus.cancelled);
        assertThat(sdks.twins().get("dev1").getDesiredProperties().get("mode")).isNull();
        assertThat(jobs.cancel("cancel-me").getJobStatus()).isEqualTo(ScheduledJobStatus.cancelled);
    }

    @Test
    void a_method_job_past_its_maximum_execution_time_fails_and_its_unanswered_device_is_cancelled() throws Exception {
        answeringDevice("dev1");
        silentDevice("dev2");
        DirectMethodsJobOptions options = DirectMethodsJobOptions.builder().methodResponseTimeoutSeconds(300)
                .methodConnectTimeoutSeconds(0).maxExecutionTimeSeconds(30).build();
        jobs.scheduleDirectMethod("too-slow", "deviceId IN ['dev1', 'dev2']", "reboot", now(), options);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs.get("too-slow").getJobStatistics().getSucceededCount() == 1);

        clock.advanceSeconds(31);

        ScheduledJob failed = awaitStatus("too-slow", ScheduledJobStatus.failed);
        assertThat(failed.getFailureReason()).contains("maxExecutionTimeInSeconds");
        assertThat(failed.getEndTime()).isNotNull();
        assertThat(failed.getJobStatistics().getSucceededCount()).isEqualTo(1);
        assertThat(failed.getJobStatistics().getFailedCount()).isEqualTo(1);
        assertThat(failed.getJobStatistics().getRunningCount()).isZero();
        Map<String, String> statuses = new HashMap<>();
        deviceJobRows("too-slow").forEach(r -> statuses.put(r.get("deviceId").getAsString(), r.get("status").getAsString()));
        assertThat(statuses).containsEntry("dev1", "completed").containsEntry("dev2", "cancelled");
    }

    @Test
    void get_returns_the_job_as_created_with_its_twin_update_and_times() throws Exception {
        Date start = inSeconds(3600);

        jobs.scheduleUpdateTwin("read-me", "tags.building = 44", desired("a", "one"), start, 100);
        ScheduledJob job = jobs.get("read-me");

        assertThat(job.getJobId()).isEqualTo("read-me");
        assertThat(job.getQueryCondition()).isEqualTo("tags.building = 44");
        assertThat(job.getMaxExecutionTimeInSeconds()).isEqualTo(100L);
        assertThat(job.getStartTime()).isEqualTo(start);
        assertThat(job.getCreatedTime()).isNotNull();
        assertThat(job.getEndTime()).isNull();
        assertThat(job.getUpdateTwin().getDesiredProperties().get("a")).isEqualTo("one");
        assertThat(job.getUpdateTwin().getETag()).isEqualTo("*");
        assertThat(job.getJobStatistics().getDeviceCount()).isZero();
    }

    @Test
    void query_jobs_by_type_and_status_pages_through_every_matching_job() throws Exception {
        for (int i = 0; i < 5; i++) {
            jobs.scheduleUpdateTwin("twin-" + i, "deviceId = 'dev3'", desired("n", i), now(), 60);
        }
        jobs.scheduleDirectMethod("method-0", "deviceId = 'dev3'", "reboot", now(),
                DirectMethodsJobOptions.builder().methodConnectTimeoutSeconds(0).methodResponseTimeoutSeconds(5).build());
        jobs.scheduleUpdateTwin("twin-later", "deviceId = 'dev3'", desired("n", 9), inSeconds(600), 60);

        List<String> completedTwinJobs = new ArrayList<>();
        JobQueryResponse page = sdks.queries().queryJobs(ScheduledJobType.scheduleUpdateTwin,
                ScheduledJobStatus.completed, QueryPageOptions.builder().pageSize(2).build());
        while (page.hasNext()) {
            completedTwinJobs.add(page.next(QueryPageOptions.builder().pageSize(2).build()).getJobId());
        }
        List<String> methodJobs = new ArrayList<>();
        JobQueryResponse methods = sdks.queries().queryJobs(ScheduledJobType.scheduleDeviceMethod, null);
        while (methods.hasNext()) {
            methodJobs.add(methods.next().getJobId());
        }
        List<String> scheduled = new ArrayList<>();
        JobQueryResponse later = sdks.queries().queryJobs(null, ScheduledJobStatus.scheduled);
        while (later.hasNext()) {
            scheduled.add(later.next().getJobId());
        }

        assertThat(completedTwinJobs).containsExactly("twin-0", "twin-1", "twin-2", "twin-3", "twin-4");
        assertThat(methodJobs).containsExactly("method-0");
        assertThat(scheduled).containsExactly("twin-later");
    }

    /** The flow of the SDK's own e2e test {@code QueryClientTests.testQueryJobsByType}. */
    @Test
    void a_twin_job_started_now_is_among_the_completed_twin_jobs_right_after_it_is_created() throws Exception {
        sdks.registry().addDevice(new Device("e2e-device"));
        jobs.scheduleUpdateTwin("e2e-job", "DeviceId IN ['e2e-device']", desired("key", "value"), now(), 10);

        JobQueryResponse response = sdks.queries().queryJobs(ScheduledJobType.scheduleUpdateTwin,
                ScheduledJobStatus.completed);

        assertThat(response.hasNext()).isTrue();
        ScheduledJob job = response.next();
        assertThat(job.getJobId()).isEqualTo("e2e-job");
        assertThat(job.getJobType()).isNotNull();
        assertThat(job.getCreatedTime()).isNotNull();
        assertThat(job.getJobStatus()).isEqualTo(ScheduledJobStatus.completed);
        assertThat(job.getJobStatistics()).isNotNull();
        assertThat(sdks.twins().get("e2e-device").getDesiredProperties().get("key")).isEqualTo("value");
    }

    @Test
    void a_job_id_in_use_is_refused_with_409_and_the_first_job_stays() throws Exception {
        jobs.scheduleUpdateTwin("twice", "deviceId = 'dev1'", desired("a", 1), inSeconds(60), 60);

        IotHubConflictException error = catchThrowableOfType(IotHubConflictException.class,
                () -> jobs.scheduleDirectMethod("twice", "deviceId = 'dev2'", "reboot", now()));

        assertThat(error.getMessage()).contains("twice");
        assertThat(jobs.get("twice").getJobType()).isEqualTo(ScheduledJobType.scheduleUpdateTwin);
    }

    @Test
    void an_unknown_job_is_404_job_not_found_on_get_and_on_cancel() {
        for (var call : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(() -> jobs.get("nobody"),
                () -> jobs.cancel("nobody"))) {
            IotHubNotFoundException error = catchThrowableOfType(IotHubNotFoundException.class, call);
            assertThat(error.getErrorCode()).isEqualTo(404002);
        }
    }

    @Test
    void an_invalid_query_condition_is_refused_with_the_query_error_and_nothing_is_stored() throws Exception {
        IotHubBadFormatException error = catchThrowableOfType(IotHubBadFormatException.class,
                () -> jobs.scheduleUpdateTwin("bad-query", "tags.x = = 1", desired("a", 1), now(), 60));

        assertThat(error.getErrorCode()).isEqualTo(400004);
        assertThat(error.getMessage()).contains("queryCondition").contains("near '='");
        assertThat(catchThrowableOfType(IotHubNotFoundException.class, () -> jobs.get("bad-query"))).isNotNull();
    }

    @Test
    void more_active_jobs_than_the_limit_are_refused_with_429_and_a_finished_job_frees_its_place() throws Exception {
        hub.close();
        startHub(LocalHub.builder().activeJobLimit(1));
        jobs.scheduleUpdateTwin("first", "deviceId = 'dev1'", desired("a", 1), inSeconds(60), 60);

        IotHubTooManyRequestsException error = catchThrowableOfType(IotHubTooManyRequestsException.class,
                () -> jobs.scheduleUpdateTwin("second", "deviceId = 'dev1'", desired("a", 2), now(), 60));
        jobs.cancel("first");
        ScheduledJob third = jobs.scheduleUpdateTwin("third", "deviceId = 'dev1'", desired("a", 3), now(), 60);

        assertThat(error.getErrorCode()).isEqualTo(429004);
        assertThat(catchThrowableOfType(IotHubNotFoundException.class, () -> jobs.get("second"))).isNotNull();
        assertThat(third.getJobStatus()).isEqualTo(ScheduledJobStatus.completed);
    }

    @Test
    void creating_a_job_takes_registry_write_and_reading_it_registry_read() throws Exception {
        jobs.scheduleUpdateTwin("rights", "deviceId = 'dev1'", desired("a", 1), inSeconds(60), 60);
        // the article's policy: ServiceConnect + RegistryRead
        ScheduledJobsClient reader = sdks.jobs(hub.serviceConnectionString());

        assertThat(reader.get("rights").getJobId()).isEqualTo("rights");
        assertThat(catchThrowableOfType(IotHubUnauthorizedException.class, () -> reader.scheduleUpdateTwin("denied",
                "deviceId = 'dev1'", desired("a", 1), now(), 60))).isNotNull();
        assertThat(catchThrowableOfType(IotHubUnauthorizedException.class, () -> reader.cancel("rights"))).isNotNull();
        assertThat(sdks.jobs(hub.policyConnectionString("registryReadWrite")).cancel("rights").getJobStatus())
                .isEqualTo(ScheduledJobStatus.cancelled);
    }

    @Test
    void a_scheduled_job_survives_a_restart_and_runs_when_its_start_time_comes() throws Exception {
        jobs.scheduleUpdateTwin("after-restart", "deviceId = 'dev2'", desired("mode", "restarted"), inSeconds(60), 600);
        hub.close();

        startHub(LocalHub.builder());
        assertThat(jobs.get("after-restart").getJobStatus()).isEqualTo(ScheduledJobStatus.scheduled);
        clock.advanceSeconds(60);

        awaitStatus("after-restart", ScheduledJobStatus.completed);
        assertThat(sdks.twins().get("dev2").getDesiredProperties().get("mode")).isEqualTo("restarted");
    }

    /**
     * A hub that stops while a method job waits for a device keeps the answers it has; after the restart the job
     * calls only the devices without one (the connect timeout gives dev2, offline so far, time to come online).
     */
    @Test
    void a_job_running_when_the_hub_stops_goes_on_after_the_restart_with_the_devices_that_have_no_result()
            throws Exception {
        List<String> dev1Calls = answeringDevice("dev1");
        DirectMethodsJobOptions options = DirectMethodsJobOptions.builder().methodResponseTimeoutSeconds(300)
                .methodConnectTimeoutSeconds(60).maxExecutionTimeSeconds(600).build();
        jobs.scheduleDirectMethod("resumed", "deviceId IN ['dev1', 'dev2']", "reboot", now(), options);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs.get("resumed").getJobStatistics().getSucceededCount() == 1);
        for (AutoCloseable client : clients) {
            client.close();
        }
        clients.clear();
        hub.close();

        startHub(LocalHub.builder());
        List<String> dev1CallsAfter = answeringDevice("dev1");
        List<String> dev2Calls = answeringDevice("dev2");

        ScheduledJob done = awaitStatus("resumed", ScheduledJobStatus.completed);
        assertThat(done.getJobStatistics().getSucceededCount()).isEqualTo(2);
        assertThat(dev1Calls).containsExactly("reboot");
        assertThat(dev1CallsAfter).isEmpty();
        assertThat(dev2Calls).containsExactly("reboot");
    }

    @Test
    void bad_job_requests_get_the_contracts_error_and_store_nothing() throws Exception {
        ServiceRestClient rest = new ServiceRestClient(hub);
        String twin = "\"updateTwin\":{\"etag\":\"*\",\"properties\":{\"desired\":{\"a\":1}}}";
        String method = "\"cloudToDeviceMethod\":{\"methodName\":\"reboot\",\"responseTimeoutInSeconds\":30}";
        String[][] cases = {
                {"/jobs/v2/bad_id", "{\"type\":\"scheduleUpdateTwin\"," + twin + ",\"queryCondition\":\"deviceId = 'dev1'\"}",
                        "job id"},
                {"/jobs/v2/" + "x".repeat(65), "{\"type\":\"scheduleUpdateTwin\"," + twin
                        + ",\"queryCondition\":\"deviceId = 'dev1'\"}", "64"},
                {"/jobs/v2/j1", "{\"type\":", "JSON"},
                {"/jobs/v2/j1", "[]", "JSON object"},
                {"/jobs/v2/j1", "{\"type\":\"scheduleTwinUpdate\"," + twin + ",\"queryCondition\":\"deviceId = 'dev1'\"}",
                        "'type'"},
                {"/jobs/v2/j1", "{\"type\":\"scheduleUpdateTwin\"," + twin + "}", "'queryCondition' is required"},
                {"/jobs/v2/j1", "{\"type\":\"scheduleUpdateTwin\",\"queryCondition\":\"deviceId = 'dev1'\"}",
                        "updateTwin"},
                {"/jobs/v2/j1", "{\"type\":\"scheduleUpdateTwin\",\"updateTwin\":{\"etag\":\"*\"},"
                        + "\"queryCondition\":\"deviceId = 'dev1'\"}", "writes nothing"},
                {"/jobs/v2/j1", "{\"type\":\"scheduleUpdateTwin\",\"updateTwin\":{\"properties\":{\"reported\":{\"a\":1}}},"
                        + "\"queryCondition\":\"deviceId = 'dev1'\"}", "reported"},
                {"/jobs/v2/j1", "{\"type\":\"scheduleUpdateTwin\",\"updateTwin\":{\"tags\":{\"$bad\":1}},"
                        + "\"queryCondition\":\"deviceId = 'dev1'\"}", "$bad"},
                {"/jobs/v2/j1", "{\"type\":\"scheduleDeviceMethod\",\"queryCondition\":\"deviceId = 'dev1'\"}",
                        "cloudToDeviceMethod"},
                {"/jobs/v2/j1", "{\"type\":\"scheduleDeviceMethod\",\"cloudToDeviceMethod\":{\"methodName\":\"a/b\"},"
                        + "\"queryCondition\":\"deviceId = 'dev1'\"}", "methodName"},
                {"/jobs/v2/j1", "{\"type\":\"scheduleDeviceMethod\"," + method + ",\"queryCondition\":\"deviceId = 'dev1'\","
                        + "\"maxExecutionTimeInSeconds\":-1}", "maxExecutionTimeInSeconds"},
                {"/jobs/v2/j1", "{\"type\":\"scheduleDeviceMethod\"," + method + ",\"queryCondition\":\"deviceId = 'dev1'\","
                        + "\"maxExecutionTimeInSeconds\":1.5}", "whole number"},
                {"/jobs/v2/j1", "{\"type\":\"scheduleDeviceMethod\"," + method + ",\"queryCondition\":\"deviceId = 'dev1'\","
                        + "\"startTime\":\"tomorrow\"}", "startTime"},
                {"/jobs/v2/j1", "{\"jobId\":\"j2\",\"type\":\"scheduleDeviceMethod\"," + method
                        + ",\"queryCondition\":\"deviceId = 'dev1'\"}", "jobId"},
                {"/jobs/v2/j1", "{\"type\":\"scheduleDeviceMethod\"," + method + ",\"queryCondition\":\"  \"}",
                        "queryCondition"},
                {"/jobs/v2/j1", "{\"type\":\"scheduleDeviceMethod\"," + method
                        + ",\"queryCondition\":\"deviceId = 'dev1' GROUP\"}", "queryCondition"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = rest.send("PUT", c[0], c[1]);

            assertThat(response.statusCode()).as(c[1]).isEqualTo(400);
            assertThat(ServiceRestClient.innerError(response).get("errorCode").getAsInt()).as(c[1]).isEqualTo(400004);
            assertThat(ServiceRestClient.innerError(response).get("message").getAsString()).as(c[1]).contains(c[2]);
            assertThat(response.body()).as(c[1]).doesNotContain("java.").doesNotContain("lab.devicetwins");
        }
        HttpResponse<String> all = rest.send("GET", "/jobs/v2/query", null);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(JsonParser.parseString(all.body()).getAsJsonArray()).isEmpty();
        assertThat(rest.send("GET", "/jobs/v2/query", null).headers().firstValue("x-ms-continuation")).isEmpty();
    }

    @Test
    void a_job_whose_commit_fails_is_answered_500_and_not_kept() throws Exception {
        hub.close();
        FailingHubStore store = new FailingHubStore(new InMemoryHubStore());
        startHub(LocalHub.builder().store(store));
        sdks.registry().addDevice(new Device("dev1"));
        ServiceRestClient rest = new ServiceRestClient(hub);
        store.failNext(1);

        HttpResponse<String> response = rest.send("PUT", "/jobs/v2/lost", "{\"type\":\"scheduleUpdateTwin\","
                + "\"updateTwin\":{\"tags\":{\"a\":1}},\"queryCondition\":\"deviceId = 'dev1'\"}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(ServiceRestClient.innerError(response).get("errorCode").getAsInt()).isEqualTo(500001);
        assertThat(catchThrowableOfType(IotHubNotFoundException.class, () -> jobs.get("lost"))).isNotNull();
        assertThat(sdks.twins().get("dev1").getTags().get("a")).isNull();
    }

    @Test
    void a_projection_over_devices_jobs_is_refused_and_a_condition_on_the_rows_selects_them() throws Exception {
        jobs.scheduleUpdateTwin("rows-a", "deviceId IN ['dev1', 'dev2']", desired("a", 1), now(), 60);
        jobs.scheduleUpdateTwin("rows-b", "deviceId = 'dev1'", desired("b", 1), now(), 60);

        List<String> dev1Jobs = new ArrayList<>();
        var rows = sdks.queries().queryJobs("SELECT * FROM devices.jobs WHERE deviceId = 'dev1'");
        while (rows.hasNext()) {
            dev1Jobs.add(rows.next().getJobId());
        }

        assertThat(dev1Jobs).containsExactly("rows-a", "rows-b");
        assertThat(catchThrowableOfType(IotHubBadFormatException.class, () -> sdks.queries()
                .queryRaw("SELECT jobId FROM devices.jobs"))).isNotNull();
    }
}
