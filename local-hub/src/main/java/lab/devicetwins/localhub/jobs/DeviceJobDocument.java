package lab.devicetwins.localhub.jobs;

import com.google.gson.JsonObject;
import java.time.Instant;
import lab.devicetwins.localhub.twin.HubTimestamp;

/**
 * A device's part in a job as {@code SELECT * FROM devices.jobs} reads it: {@code deviceId, jobId, jobType, status,
 * startTimeUtc, endTimeUtc, createdDateTimeUtc, lastUpdatedDateTimeUtc}, for a method job the
 * {@code cloudToDeviceMethod} and the device's answer as {@code outcome}, for a failed device the {@code error}.
 * {@code jobType}, not {@code type}: the Java service SDK refuses rows with both and reads either.
 */
public final class DeviceJobDocument {
    private DeviceJobDocument() {
    }

    /** The row of a device that has a result. */
    public static JsonObject of(Job job, DeviceJobResult result) {
        JsonObject row = base(job, result.deviceId(), result.status(), result.startTime(), result.endTime());
        row.addProperty("lastUpdatedDateTimeUtc", HubTimestamp.format(result.endTime()));
        if (result.outcome() != null) {
            row.add("outcome", result.outcome().deepCopy());
        }
        if (result.errorCode() != null) {
            JsonObject error = new JsonObject();
            error.addProperty("code", result.errorCode());
            error.addProperty("description", result.errorDescription() == null ? "" : result.errorDescription());
            row.add("error", error);
        }
        return row;
    }

    /** The row of a selected device without a result yet: {@code running} while it is worked on, else enqueued. */
    public static JsonObject pending(Job job, String deviceId, boolean running) {
        JsonObject row = base(job, deviceId, running ? JobStatus.RUNNING : JobStatus.ENQUEUED, job.startTime(), null);
        row.addProperty("lastUpdatedDateTimeUtc", HubTimestamp.format(job.lastUpdatedTime()));
        return row;
    }

    private static JsonObject base(Job job, String deviceId, JobStatus status, Instant start, Instant end) {
        JsonObject row = new JsonObject();
        row.addProperty("deviceId", deviceId);
        row.addProperty("jobId", job.jobId());
        row.addProperty("jobType", job.type().wireName());
        row.addProperty("status", status.wireName());
        row.addProperty("startTimeUtc", HubTimestamp.format(start));
        if (end != null) {
            row.addProperty("endTimeUtc", HubTimestamp.format(end));
        }
        row.addProperty("createdDateTimeUtc", HubTimestamp.format(job.createdTime()));
        if (job.action() instanceof JobAction.MethodCall) {
            // the Java SDK reads an outcome of a method job only next to the cloudToDeviceMethod (else it fails)
            row.add("cloudToDeviceMethod", job.action().toJson());
        }
        return row;
    }
}
