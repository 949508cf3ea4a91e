package lab.devicetwins.localhub.http;

import com.google.gson.JsonObject;
import lab.devicetwins.localhub.core.ScheduledJobs;
import lab.devicetwins.localhub.jobs.Job;
import lab.devicetwins.localhub.jobs.JobAction;
import lab.devicetwins.localhub.jobs.JobStatistics;
import lab.devicetwins.localhub.twin.HubTimestamp;

/**
 * A job as {@code /jobs/v2} answers it (create, get, cancel, and each item of {@code /jobs/v2/query}):
 * {@code jobId, type, status, queryCondition, createdTime, startTime, endTime, lastUpdatedDateTimeUtc,
 * maxExecutionTimeInSeconds}, the {@code updateTwin} or {@code cloudToDeviceMethod} it applies, a failed job's
 * {@code failureReason}, and {@code deviceJobStatistics}. The Java SDK takes {@code type} or {@code jobType} but
 * refuses both, and reads every status and type name with {@code valueOf}.
 */
final class JobJson {
    private JobJson() {
    }

    static JsonObject of(ScheduledJobs.JobView view) {
        Job job = view.job();
        JsonObject json = new JsonObject();
        json.addProperty("jobId", job.jobId());
        json.addProperty("type", job.type().wireName());
        json.addProperty("status", job.status().wireName());
        json.addProperty("queryCondition", job.queryCondition());
        json.addProperty("createdTime", HubTimestamp.format(job.createdTime()));
        json.addProperty("startTime", HubTimestamp.format(job.startTime()));
        if (job.endTime() != null) {
            json.addProperty("endTime", HubTimestamp.format(job.endTime()));
        }
        json.addProperty("lastUpdatedDateTimeUtc", HubTimestamp.format(job.lastUpdatedTime()));
        json.addProperty("maxExecutionTimeInSeconds", job.maxExecutionTimeSeconds());
        json.add(job.action() instanceof JobAction.TwinUpdate ? "updateTwin" : "cloudToDeviceMethod",
                job.action().toJson());
        if (job.failureReason() != null) {
            json.addProperty("failureReason", job.failureReason());
        }
        JobStatistics stats = view.statistics();
        JsonObject statistics = new JsonObject();
        statistics.addProperty("deviceCount", stats.deviceCount());
        statistics.addProperty("failedCount", stats.failedCount());
        statistics.addProperty("succeededCount", stats.succeededCount());
        statistics.addProperty("runningCount", stats.runningCount());
        statistics.addProperty("pendingCount", stats.pendingCount());
        json.add("deviceJobStatistics", statistics);
        return json;
    }
}
