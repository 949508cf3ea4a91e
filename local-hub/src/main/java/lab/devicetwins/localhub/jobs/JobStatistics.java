package lab.devicetwins.localhub.jobs;

import java.util.Collection;

/**
 * A job's {@code deviceJobStatistics}: of the devices it selected, how many succeeded, failed (cancelled devices
 * count as failed: IoT Hub's statistics have no other place for them), are running, and are still pending.
 */
public record JobStatistics(int deviceCount, int failedCount, int succeededCount, int runningCount, int pendingCount) {

    /**
     * @param results the job's device results
     * @param running how many selected devices are being worked on now (no result yet)
     */
    public static JobStatistics of(Job job, Collection<DeviceJobResult> results, int running) {
        int succeeded = 0;
        int failed = 0;
        for (DeviceJobResult result : results) {
            if (result.status() == JobStatus.COMPLETED) {
                succeeded++;
            } else {
                failed++;
            }
        }
        int deviceCount = job.devices().size();
        int pending = Math.max(0, deviceCount - succeeded - failed - running);
        return new JobStatistics(deviceCount, failed, succeeded, running, pending);
    }
}
