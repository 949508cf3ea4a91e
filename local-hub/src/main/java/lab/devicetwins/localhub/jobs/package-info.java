/**
 * Jobs: a twin update or a direct method applied to the devices a query condition selects, from a start time on,
 * within a maximum execution time. This package holds the rules only (the job, its life cycle, a device's result,
 * the statistics); running jobs is {@link lab.devicetwins.localhub.core.ScheduledJobs}' work.
 */
package lab.devicetwins.localhub.jobs;
