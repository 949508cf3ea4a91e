package lab.devicetwins.localhub.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One job and where it is in its life: {@code scheduled} (start time ahead) or {@code enqueued} (start time come),
 * then {@code running} once it has selected its devices, then {@code completed} when every selected device has a
 * result (whether the device succeeded or not), {@code cancelled} when cancelled first, or {@code failed} when its
 * maximum execution time, counted from the start time, ran out first. The transitions are the only way to change a
 * job; each returns a new value and leaves a finished job as it is.
 *
 * @param devices the device ids the job selected when it started, in order; empty before
 * @param endTime when it finished, or null while it has not
 * @param failureReason why it failed, or null
 */
public record Job(String jobId, JobType type, JobAction action, String queryCondition, Instant createdTime,
                  Instant startTime, long maxExecutionTimeSeconds, JobStatus status, Instant lastUpdatedTime,
                  Instant endTime, String failureReason, List<String> devices) {

    public Job {
        JobId.require(jobId);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(queryCondition, "queryCondition");
        Objects.requireNonNull(createdTime, "createdTime");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastUpdatedTime, "lastUpdatedTime");
        if (maxExecutionTimeSeconds <= 0) {
            throw new IllegalArgumentException("a job runs for a positive number of seconds at most");
        }
        if ((type == JobType.SCHEDULE_UPDATE_TWIN) != (action instanceof JobAction.TwinUpdate)) {
            throw new IllegalArgumentException("a " + type.wireName() + " job cannot " + action);
        }
        devices = List.copyOf(devices);
    }

    /** A new job, created at {@code now}: scheduled when it starts later, else enqueued. */
    public static Job create(String jobId, JobType type, JobAction action, String queryCondition, Instant startTime,
                             long maxExecutionTimeSeconds, Instant now) {
        JobStatus status = startTime.isAfter(now) ? JobStatus.SCHEDULED : JobStatus.ENQUEUED;
        return new Job(jobId, type, action, queryCondition, now, startTime, maxExecutionTimeSeconds, status, now,
                null, null, List.of());
    }

    /** When the job must have finished: its start time plus its maximum execution time. */
    public Instant deadline() {
        return startTime.plus(Duration.ofSeconds(maxExecutionTimeSeconds));
    }

    /** True while the job waits for its start time, which {@code now} has reached. */
    public boolean isDue(Instant now) {
        return (status == JobStatus.SCHEDULED || status == JobStatus.ENQUEUED) && !now.isBefore(startTime);
    }

    /** True when the job has not finished and {@code now} is past its deadline. */
    public boolean isExpired(Instant now) {
        return !status.isFinal() && !now.isBefore(deadline());
    }

    /** The job with its start time come, not yet started; a scheduled job only. */
    public Job enqueued(Instant now) {
        return status == JobStatus.SCHEDULED ? with(JobStatus.ENQUEUED, now, null, null, devices) : this;
    }

    /**
     * The job running over the devices it selected.
     *
     * @throws IllegalStateException when it is not waiting to start
     */
    public Job started(List<String> selected, Instant now) {
        if (status != JobStatus.SCHEDULED && status != JobStatus.ENQUEUED) {
            throw new IllegalStateException("job " + jobId + " is " + status.wireName() + ", it cannot start");
        }
        return with(JobStatus.RUNNING, now, null, null, selected);
    }

    /** The job done with every selected device; a running job only, others stay as they are. */
    public Job completed(Instant now) {
        return status == JobStatus.RUNNING ? with(JobStatus.COMPLETED, now, now, null, devices) : this;
    }

    /** The job cancelled; a finished job stays as it is. */
    public Job cancelled(Instant now) {
        return status.isFinal() ? this : with(JobStatus.CANCELLED, now, now, null, devices);
    }

    /** The job failed because its maximum execution time ran out; a finished job stays as it is. */
    public Job expired(Instant now) {
        return status.isFinal() ? this : with(JobStatus.FAILED, now, now, "the job did not finish within its"
                + " maxExecutionTimeInSeconds (" + maxExecutionTimeSeconds + " s)", devices);
    }

    private Job with(JobStatus newStatus, Instant now, Instant end, String reason, List<String> selected) {
        return new Job(jobId, type, action, queryCondition, createdTime, startTime, maxExecutionTimeSeconds,
                newStatus, now, end, reason, selected);
    }
}
