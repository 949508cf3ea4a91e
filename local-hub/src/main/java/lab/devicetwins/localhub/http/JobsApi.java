package lab.devicetwins.localhub.http;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;
import static lab.devicetwins.localhub.auth.AccessRight.REGISTRY_READ;
import static lab.devicetwins.localhub.auth.AccessRight.REGISTRY_WRITE;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import lab.devicetwins.localhub.core.DirectMethods;
import lab.devicetwins.localhub.core.ScheduledJobs;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.jobs.JobAction;
import lab.devicetwins.localhub.jobs.JobId;
import lab.devicetwins.localhub.jobs.JobStatus;
import lab.devicetwins.localhub.jobs.JobType;
import lab.devicetwins.localhub.realism.Operation;
import lab.devicetwins.localhub.twin.ServiceTwinWrite;

/**
 * Jobs over REST: {@code PUT /jobs/v2/{id}} creates one, {@code GET /jobs/v2/{id}} reads it,
 * {@code POST /jobs/v2/{id}/cancel} cancels it, {@code GET /jobs/v2/query?jobType=…&jobStatus=…} pages through
 * them ({@code x-ms-max-item-count}, {@code x-ms-continuation} as twin queries page). IoT Hub's guide to scheduling
 * jobs asks for RegistryRead and RegistryWrite: creating and cancelling need RegistryWrite, reading RegistryRead,
 * for twin and method jobs alike.
 */
final class JobsApi {
    private static final String CONTINUATION_PREFIX = "job:";

    private final ScheduledJobs jobs;
    private final int maxPageSize;

    JobsApi(ScheduledJobs jobs, int maxPageSize) {
        this.jobs = jobs;
        this.maxPageSize = maxPageSize;
    }

    List<ServiceRoute> routes() {
        return ServiceRoute.metered(Operation.JOBS, List.of(
                ServiceRoute.of(PUT, "/jobs/v2/{id}", REGISTRY_WRITE, "jobs/v2/{id}", this::create),
                ServiceRoute.of(GET, "/jobs/v2/{id}", REGISTRY_READ, "jobs/v2/{id}", this::get),
                ServiceRoute.of(POST, "/jobs/v2/{id}/cancel", REGISTRY_WRITE, "jobs/v2/{id}", this::cancel),
                ServiceRoute.of(GET, "/jobs/v2/query", REGISTRY_READ, "jobs/v2/query", this::query)));
    }

    private CompletableFuture<Reply> create(ServiceRequest request) {
        String jobId = JobId.require(request.param("id"));
        JsonElement parsed = RequestJson.parse(request.body());
        if (parsed == null || !parsed.isJsonObject()) {
            throw invalid("the body must be a JSON object {\"type\":…,\"queryCondition\":…,…}");
        }
        JsonObject body = parsed.getAsJsonObject();
        JsonElement bodyId = body.get("jobId");
        if (bodyId != null && !bodyId.isJsonNull() && !(isString(bodyId) && bodyId.getAsString().equals(jobId))) {
            throw invalid("'jobId' in the body must be the job id of the path, '" + jobId + "'");
        }
        JobType type = JobType.fromWireName(string(body, "type", true)).orElseThrow(() -> invalid(
                "'type' must be scheduleUpdateTwin or scheduleDeviceMethod"));
        String condition = string(body, "queryCondition", true);
        if (condition.isBlank()) {
            throw invalid("'queryCondition' must select devices, e.g. \"deviceId IN ['dev1']\"");
        }
        Instant startTime = startTime(body);
        long maxSeconds = maxExecutionTime(body);
        JobAction action = type == JobType.SCHEDULE_UPDATE_TWIN ? twinUpdate(body) : methodCall(body);
        return jobs.schedule(jobId, type, action, condition, startTime, maxSeconds)
                .thenApply(view -> Reply.json(JobJson.of(view)));
    }

    private static JobAction twinUpdate(JsonObject body) {
        requireAbsent(body, "cloudToDeviceMethod", "a scheduleUpdateTwin job");
        JsonElement update = body.get("updateTwin");
        if (update == null || !update.isJsonObject()) {
            throw invalid("a scheduleUpdateTwin job needs 'updateTwin': {\"tags\":…,\"properties\":{\"desired\":…}}");
        }
        ServiceTwinWrite write = ServiceTwinWrite.fromTwinJson(update);
        if (write.tags() == null && write.desired() == null) {
            throw invalid("'updateTwin' writes nothing: give it tags, properties.desired or both");
        }
        JsonElement etag = update.getAsJsonObject().get("etag");
        if (etag != null && !etag.isJsonNull() && !isString(etag)) {
            throw invalid("'updateTwin.etag' must be a string ('*' for any twin)");
        }
        String ifMatch = etag == null || etag.isJsonNull() || etag.getAsString().isEmpty() ? "*" : etag.getAsString();
        return new JobAction.TwinUpdate(update.getAsJsonObject(), write.tags(), write.desired(), ifMatch);
    }

    private static JobAction methodCall(JsonObject body) {
        requireAbsent(body, "updateTwin", "a scheduleDeviceMethod job");
        JsonElement method = body.get("cloudToDeviceMethod");
        if (method == null || !method.isJsonObject()) {
            throw invalid("a scheduleDeviceMethod job needs 'cloudToDeviceMethod': {\"methodName\":…,\"payload\":…}");
        }
        DirectMethods.Call call = MethodsApi.parse(method);
        return new JobAction.MethodCall(call.methodName(), call.payload(), (int) call.responseTimeout().toSeconds(),
                (int) call.connectTimeout().toSeconds());
    }

    private CompletableFuture<Reply> get(ServiceRequest request) {
        return CompletableFuture.completedFuture(Reply.json(JobJson.of(jobs.get(request.param("id")))));
    }

    private CompletableFuture<Reply> cancel(ServiceRequest request) {
        return jobs.cancel(request.param("id")).thenApply(view -> Reply.json(JobJson.of(view)));
    }

    private CompletableFuture<Reply> query(ServiceRequest request) {
        JobType type = filter(request.queryParameter("jobType"), "jobType", JobType::fromWireName);
        JobStatus status = filter(request.queryParameter("jobStatus"), "jobStatus", JobStatus::fromWireName);
        ScheduledJobs.JobPage page = jobs.query(type, status, pageSize(request.header("x-ms-max-item-count")),
                afterJobId(request.header("x-ms-continuation")));
        JsonArray items = new JsonArray();
        page.jobs().forEach(view -> items.add(JobJson.of(view)));
        String continuation = page.lastJobId().map(id -> Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CONTINUATION_PREFIX + id).getBytes(StandardCharsets.UTF_8))).orElse(null);
        return CompletableFuture.completedFuture(new Reply(200, items, null, continuation, null));
    }

    private static <T> T filter(String value, String name, Function<String, Optional<T>> parse) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return parse.apply(value).orElseThrow(() -> invalid("'" + name + "' " + value + " is not one of IoT Hub's "
                + name + " names"));
    }

    private int pageSize(String header) {
        if (header == null || header.isBlank()) {
            return maxPageSize;
        }
        int size;
        try {
            size = Integer.parseInt(header.trim());
        } catch (NumberFormatException e) {
            throw invalid("x-ms-max-item-count must be a whole number");
        }
        if (size < 1) {
            throw invalid("x-ms-max-item-count must be a positive number of items per page, not " + size);
        }
        return Math.min(size, maxPageSize);
    }

    private static String afterJobId(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(CONTINUATION_PREFIX)) {
                return text.substring(CONTINUATION_PREFIX.length());
            }
        } catch (IllegalArgumentException notBase64) {
            // answered below
        }
        throw invalid("x-ms-continuation is not a token this hub gave for a job query");
    }

    private static Instant startTime(JsonObject body) {
        String text = string(body, "startTime", false);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid("'startTime' must be an ISO 8601 UTC time such as 2024-03-11T10:00:00.000Z");
        }
    }

    private static long maxExecutionTime(JsonObject body) {
        JsonElement e = body.get("maxExecutionTimeInSeconds");
        if (e == null || e.isJsonNull()) {
            return 0;
        }
        long value;
        try {
            if (!(e instanceof JsonPrimitive p) || !p.isNumber()) {
                throw new ArithmeticException();
            }
            value = p.getAsBigDecimal().longValueExact();
        } catch (ArithmeticException notWhole) {
            throw invalid("'maxExecutionTimeInSeconds' must be a whole number of seconds");
        }
        if (value < 0 || value > ScheduledJobs.MAX_EXECUTION_SECONDS) {
            throw invalid("'maxExecutionTimeInSeconds' is " + value + "; it takes 0 (the default, "
                    + ScheduledJobs.DEFAULT_MAX_EXECUTION_SECONDS + " s) to " + ScheduledJobs.MAX_EXECUTION_SECONDS
                    + " seconds");
        }
        return value;
    }

    private static String string(JsonObject body, String member, boolean required) {
        JsonElement e = body.get(member);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw invalid("'" + member + "' is required");
            }
            return null;
        }
        if (!isString(e)) {
            throw invalid("'" + member + "' must be a string");
        }
        return e.getAsString();
    }

    private static void requireAbsent(JsonObject body, String member, String what) {
        JsonElement e = body.get(member);
        if (e != null && !e.isJsonNull()) {
            throw invalid(what + " takes no '" + member + "'");
        }
    }

    private static boolean isString(JsonElement e) {
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    private static HubException invalid(String message) {
        return new HubException(HubErrorCode.ARGUMENT_INVALID, message);
    }
}
