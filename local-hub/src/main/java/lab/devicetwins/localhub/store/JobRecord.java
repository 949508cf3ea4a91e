package lab.devicetwins.localhub.store;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import lab.devicetwins.localhub.jobs.DeviceJobResult;
import lab.devicetwins.localhub.jobs.Job;
import lab.devicetwins.localhub.jobs.JobAction;
import lab.devicetwins.localhub.jobs.JobStatus;
import lab.devicetwins.localhub.jobs.JobType;

/**
 * How a job and a device's result in it are stored: JSON with every field, instants as ISO-8601 text (exact to the
 * nanosecond), names of types and statuses as IoT Hub writes them.
 */
final class JobRecord {
    private JobRecord() {
    }

    static JsonObject write(Job job) {
        JsonObject json = new JsonObject();
        json.addProperty("jobId", job.jobId());
        json.addProperty("type", job.type().wireName());
        json.addProperty("queryCondition", job.queryCondition());
        json.addProperty("createdTime", job.createdTime().toString());
        json.addProperty("startTime", job.startTime().toString());
        json.addProperty("maxExecutionTimeInSeconds", job.maxExecutionTimeSeconds());
        json.addProperty("status", job.status().wireName());
        json.addProperty("lastUpdatedTime", job.lastUpdatedTime().toString());
        if (job.endTime() != null) {
            json.addProperty("endTime", job.endTime().toString());
        }
        if (job.failureReason() != null) {
            json.addProperty("failureReason", job.failureReason());
        }
        JsonArray devices = new JsonArray();
        job.devices().forEach(devices::add);
        json.add("devices", devices);
        if (job.action() instanceof JobAction.TwinUpdate twin) {
            JsonObject action = new JsonObject();
            action.add("updateTwin", twin.updateTwin().deepCopy());
            if (twin.tags() != null) {
                action.add("tags", twin.tags().deepCopy());
            }
            if (twin.desired() != null) {
                action.add("desired", twin.desired().deepCopy());
            }
            action.addProperty("etag", twin.etag());
            json.add("twinUpdate", action);
        } else {
            json.add("methodCall", job.action().toJson());
        }
        return json;
    }

    static Job readJob(JsonObject json) {
        JobType type = JobType.fromWireName(json.get("type").getAsString()).orElseThrow();
        JobAction action;
        if (json.has("twinUpdate")) {
            JsonObject twin = json.getAsJsonObject("twinUpdate");
            action = new JobAction.TwinUpdate(twin.getAsJsonObject("updateTwin"), objectOrNull(twin.get("tags")),
                    objectOrNull(twin.get("desired")), twin.get("etag").getAsString());
        } else {
            JsonObject method = json.getAsJsonObject("methodCall");
            action = new JobAction.MethodCall(method.get("methodName").getAsString(), method.get("payload"),
                    method.get("responseTimeoutInSeconds").getAsInt(), method.get("connectTimeoutInSeconds").getAsInt());
        }
        List<String> devices = new ArrayList<>();
        json.getAsJsonArray("devices").forEach(d -> devices.add(d.getAsString()));
        return new Job(json.get("jobId").getAsString(), type, action, json.get("queryCondition").getAsString(),
                instant(json.get("createdTime")), instant(json.get("startTime")),
                json.get("maxExecutionTimeInSeconds").getAsLong(),
                JobStatus.fromWireName(json.get("status").getAsString()).orElseThrow(),
                instant(json.get("lastUpdatedTime")), instant(json.get("endTime")), stringOrNull(json.get("failureReason")),
                devices);
    }

    static JsonObject write(DeviceJobResult result) {
        JsonObject json = new JsonObject();
        json.addProperty("jobId", result.jobId());
        json.addProperty("deviceId", result.deviceId());
        json.addProperty("status", result.status().wireName());
        json.addProperty("startTime", result.startTime().toString());
        json.addProperty("endTime", result.endTime().toString());
        if (result.outcome() != null) {
            json.add("outcome", result.outcome().deepCopy());
        }
        if (result.errorCode() != null) {
            json.addProperty("errorCode", result.errorCode());
            if (result.errorDescription() != null) {
                json.addProperty("errorDescription", result.errorDescription());
            }
        }
        return json;
    }

    static DeviceJobResult readResult(JsonObject json) {
        return new DeviceJobResult(json.get("jobId").getAsString(), json.get("deviceId").getAsString(),
                JobStatus.fromWireName(json.get("status").getAsString()).orElseThrow(), instant(json.get("startTime")),
                instant(json.get("endTime")), objectOrNull(json.get("outcome")), stringOrNull(json.get("errorCode")),
                stringOrNull(json.get("errorDescription")));
    }

    private static Instant instant(JsonElement e) {
        return e == null || e.isJsonNull() ? null : Instant.parse(e.getAsString());
    }

    private static String stringOrNull(JsonElement e) {
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static JsonObject objectOrNull(JsonElement e) {
        return e == null || !e.isJsonObject() ? null : e.getAsJsonObject();
    }
}
