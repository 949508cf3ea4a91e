package lab.devicetwins.localhub.jobs;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * One device's finished part in a job: {@code completed} (the twin was written, or the device answered the method,
 * whatever status it answered with), {@code failed} (with the IoT Hub error that stopped it) or {@code cancelled}
 * (the job was cancelled or ran out of time before the device's turn ended).
 *
 * @param outcome for a method job the device's answer {@code {"deviceMethodResponse":{"status":…,"payload":…}}},
 *                else null
 * @param errorCode the IoT Hub error name ({@code DeviceNotOnline}, {@code PreconditionFailed}, …) of a failed
 *                  device, else null
 */
public record DeviceJobResult(String jobId, String deviceId, JobStatus status, Instant startTime, Instant endTime,
                              JsonObject outcome, String errorCode, String errorDescription) {

    public DeviceJobResult {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(endTime, "endTime");
        if (!status.isFinal()) {
            throw new IllegalArgumentException("a device result is final, not " + status.wireName());
        }
        if ((status == JobStatus.FAILED) != (errorCode != null)) {
            throw new IllegalArgumentException("a failed device, and only a failed one, has an error");
        }
    }

    public static DeviceJobResult succeeded(String jobId, String deviceId, Instant start, Instant end) {
        return new DeviceJobResult(jobId, deviceId, JobStatus.COMPLETED, start, end, null, null, null);
    }

    /** A method the device answered: its status and payload are the outcome. */
    public static DeviceJobResult answered(String jobId, String deviceId, Instant start, Instant end, int status,
                                           JsonElement payload) {
        JsonObject response = new JsonObject();
        response.addProperty("status", status);
        response.add("payload", payload.deepCopy());
        JsonObject outcome = new JsonObject();
        outcome.add("deviceMethodResponse", response);
        return new DeviceJobResult(jobId, deviceId, JobStatus.COMPLETED, start, end, outcome, null, null);
    }

    public static DeviceJobResult failed(String jobId, String deviceId, Instant start, Instant end, String errorCode,
                                         String description) {
        return new DeviceJobResult(jobId, deviceId, JobStatus.FAILED, start, end, null,
                Objects.requireNonNull(errorCode, "errorCode"), description);
    }

    public static DeviceJobResult cancelled(String jobId, String deviceId, Instant start, Instant end) {
        return new DeviceJobResult(jobId, deviceId, JobStatus.CANCELLED, start, end, null, null, null);
    }
}
