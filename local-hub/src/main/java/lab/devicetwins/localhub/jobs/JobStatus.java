package lab.devicetwins.localhub.jobs;

import java.util.Locale;
import java.util.Optional;

/**
 * The states of a job, and of one device's part in it, named as the Java service SDK's {@code ScheduledJobStatus}
 * reads them ({@code valueOf}, so only these names may go out).
 */
public enum JobStatus {
    /** Accepted; its start time is in the future. */
    SCHEDULED,
    /** Its start time has come; it has not selected its devices yet (a device: selected, not yet called). */
    ENQUEUED,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the states a job or a device never leaves. */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** The status with this exact lower-case name. */
    public static Optional<JobStatus> fromWireName(String name) {
        for (JobStatus status : values()) {
            if (status.wireName().equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
