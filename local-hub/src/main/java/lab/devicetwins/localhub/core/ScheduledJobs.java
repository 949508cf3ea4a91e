package lab.devicetwins.localhub.core;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.jobs.DeviceJobDocument;
import lab.devicetwins.localhub.jobs.DeviceJobResult;
import lab.devicetwins.localhub.jobs.Job;
import lab.devicetwins.localhub.jobs.JobAction;
import lab.devicetwins.localhub.jobs.JobStatistics;
import lab.devicetwins.localhub.jobs.JobStatus;
import lab.devicetwins.localhub.jobs.JobType;
import lab.devicetwins.localhub.query.AttributePath;
import lab.devicetwins.localhub.query.QueryPage;
import lab.devicetwins.localhub.query.QueryRow;
import lab.devicetwins.localhub.query.TwinSource;
import lab.devicetwins.localhub.twin.TwinDocument;

/**
 * Runs jobs: accepts them, starts each at its start time over the devices its query condition selects then, writes
 * their twins or calls their method, records each device's result, and ends the job when every device has one, when
 * it is cancelled, or when its maximum execution time (counted from the start time) runs out.
 *
 * <p>Every change to a job happens on one thread of its own, which also checks the clock a few times a second, so a
 * job starts within {@link #TICK} of its start time by the hub's clock (an injected clock too). A job and each
 * device's result are committed before anyone is told about them; after a restart, a job that was running goes on
 * with the devices that have no committed result, so a device whose write or call was under way when the hub
 * stopped gets it again (at least once).
 */
public final class ScheduledJobs implements AutoCloseable {
    /** How often the clock is checked for jobs to start and jobs past their maximum execution time. */
    public static final Duration TICK = Duration.ofMillis(100);
    /**
     * A twin job whose start time has come when it is created runs before the create request is answered when it
     * selects at most this many devices: a client that asks right after for completed jobs finds it (the Java SDK's
     * own test does). Larger jobs, and method jobs, run after the answer.
     */
    public static final int DEVICES_RUN_BEFORE_ANSWER = 100;
    /** The maximum execution time of a job that asks for none (or for 0 seconds). */
    public static final long DEFAULT_MAX_EXECUTION_SECONDS = 3600;
    /** The longest a job may run: the 30 days IoT Hub keeps a job's history. */
    public static final long MAX_EXECUTION_SECONDS = Duration.ofDays(30).toSeconds();
    /** Active jobs IoT Hub runs at once on its largest standard tier (S3); S1 runs 1, S2 5. */
    public static final int DEFAULT_ACTIVE_JOB_LIMIT = 10;
    private static final int SELECTION_PAGE = 100;
    private static final Logger LOG = Logger.getLogger(ScheduledJobs.class.getName());

    /** A job as a client reads it: the job and its device statistics, taken together. */
    public record JobView(Job job, JobStatistics statistics) {
    }

    /** A page of jobs and the id of its last job when more follow. */
    public record JobPage(List<JobView> jobs, Optional<String> lastJobId) {
    }

    /** A job with what its devices have done; only the runner thread changes it. */
    private static final class JobState {
        volatile Job job;
        final NavigableMap<String, DeviceJobResult> results = new ConcurrentSkipListMap<>();
        final Set<String> running = ConcurrentHashMap.newKeySet();

        JobState(Job job) {
            this.job = job;
        }

        JobView view() {
            Job current = job;
            return new JobView(current, JobStatistics.of(current, results.values(), running.size()));
        }
    }

    private final DeviceDirectory directory;
    private final TwinOperations twins;
    private final DirectMethods methods;
    private final TwinQueries queries;
    private final Clock clock;
    private final int activeJobLimit;
    private final ScheduledExecutorService runner;
    private final NavigableMap<String, JobState> jobs = new ConcurrentSkipListMap<>();

    /**
     * Loads the stored jobs and starts the runner; jobs that were running go on with the devices that have no result.
     *
     * @param activeJobLimit how many jobs may be scheduled, enqueued or running at once
     */
    public ScheduledJobs(DeviceDirectory directory, TwinOperations twins, DirectMethods methods, TwinQueries queries,
                         int activeJobLimit) {
        if (activeJobLimit < 1) {
            throw new IllegalArgumentException("at least one job must be able to run");
        }
        this.directory = directory;
        this.twins = twins;
        this.methods = methods;
        this.queries = queries;
        this.clock = directory.clock();
        this.activeJobLimit = activeJobLimit;
        for (Job job : directory.storedJobs()) {
            jobs.put(job.jobId(), new JobState(job));
        }
        for (DeviceJobResult result : directory.storedJobResults()) {
            JobState state = jobs.get(result.jobId());
            if (state != null) {
                state.results.put(result.deviceId(), result);
            }
        }
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = Executors.defaultThreadFactory().newThread(runnable);
            thread.setName("local-hub-jobs");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.runner = executor;
        for (JobState state : jobs.values()) {
            if (state.job.status() == JobStatus.RUNNING) {
                runner.execute(() -> proceed(state));
            }
        }
        runner.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Accepts a job. Its query condition is checked first; a twin job whose start time has come runs at once and,
     * with at most {@link #DEVICES_RUN_BEFORE_ANSWER} devices, has finished when the future completes.
     *
     * @param startTime when to start, or null for now
     * @throws HubException (through the future) 400 for an invalid condition, 409 JobAlreadyExists, 429 when
     *                      {@code activeJobLimit} jobs are active
     */
    public CompletableFuture<JobView> schedule(String jobId, JobType type, JobAction action, String queryCondition,
                                               Instant startTime, long maxExecutionTimeSeconds) {
        if (action instanceof JobAction.TwinUpdate update) {
            // the twin rules (key names, depth, sizes) checked now on an empty twin: a job that breaks them is refused
            Instant now = clock.instant();
            TwinDocument.createNew(now, directory.limits()).patchFromService(update.tags(), update.desired(), now);
        }
        return onRunner(() -> {
            selectionPage(queryCondition, 1, null);
            if (jobs.containsKey(jobId)) {
                throw new HubException(HubErrorCode.JOB_ALREADY_EXISTS, "a job with id '" + jobId
                        + "' exists already; job ids are unique for as long as the hub keeps the job");
            }
            long active = jobs.values().stream().filter(s -> !s.job.status().isFinal()).count();
            if (active >= activeJobLimit) {
                throw new HubException(HubErrorCode.THROTTLING_MAX_ACTIVE_JOB_COUNT_EXCEEDED, "the hub already has "
                        + active + " scheduled or running jobs, as many as it runs at once; try again when one has"
                        + " finished, or cancel one");
            }
            Instant now = clock.instant();
            long maxSeconds = maxExecutionTimeSeconds == 0 ? DEFAULT_MAX_EXECUTION_SECONDS : maxExecutionTimeSeconds;
            Job job = Job.create(jobId, type, action, queryCondition, startTime == null ? now : startTime, maxSeconds,
                    now);
            commit(directory.saveJob(job));
            JobState state = new JobState(job);
            jobs.put(jobId, state);
            if (job.isDue(now)) {
                start(state);
            }
            return state.view();
        });
    }

    /** The job and its statistics now. @throws HubException 404 JobNotFound */
    public JobView get(String jobId) {
        return require(jobId).view();
    }

    /**
     * Cancels a job that has not finished: devices without a result are recorded as cancelled, late answers of
     * methods under way are dropped. A finished job is returned as it is.
     *
     * @throws HubException (through the future) 404 JobNotFound
     */
    public CompletableFuture<JobView> cancel(String jobId) {
        return onRunner(() -> {
            JobState state = require(jobId);
            if (!state.job.status().isFinal()) {
                end(state, state.job.cancelled(clock.instant()));
            }
            return state.view();
        });
    }

    /**
     * Jobs in id order after {@code afterJobId} (from the first when null), of the given type and status when they
     * are not null.
     */
    public JobPage query(JobType type, JobStatus status, int pageSize, String afterJobId) {
        Collection<JobState> candidates = afterJobId == null ? jobs.values() : jobs.tailMap(afterJobId, false).values();
        List<JobView> page = new ArrayList<>();
        boolean more = false;
        for (JobState state : candidates) {
            JobView view = state.view();
            if ((type == null || view.job().type() == type) && (status == null || view.job().status() == status)) {
                if (page.size() == pageSize) {
                    more = true;
                    break;
                }
                page.add(view);
            }
        }
        return new JobPage(page, more ? Optional.of(page.get(page.size() - 1).job().jobId()) : Optional.empty());
    }

    /**
     * The rows of {@code devices.jobs}: one per job and device it selected, keyed {@code {deviceId}/{jobId}}, as
     * they are now.
     */
    public TwinSource deviceJobRows() {
        List<QueryRow> rows = new ArrayList<>();
        for (JobState state : jobs.values()) {
            Job job = state.job;
            for (String deviceId : job.devices()) {
                DeviceJobResult result = state.results.get(deviceId);
                JsonObject document = result != null ? DeviceJobDocument.of(job, result)
                        : DeviceJobDocument.pending(job, deviceId, state.running.contains(deviceId));
                rows.add(new DeviceJobRow(deviceId + "/" + job.jobId(), document));
            }
        }
        return TwinSource.of(rows);
    }

    private record DeviceJobRow(String key, JsonObject document) implements QueryRow {
        @Override
        public JsonElement attribute(AttributePath path) {
            return QueryRow.valueAt(document, path);
        }
    }

    private JobState require(String jobId) {
        JobState state = jobs.get(jobId);
        if (state == null) {
            throw new HubException(HubErrorCode.JOB_NOT_FOUND, "no job with id '" + jobId + "'");
        }
        return state;
    }

    /** Starts what is due and ends what ran out of time. */
    private void tick() {
        try {
            Instant now = clock.instant();
            for (JobState state : jobs.values()) {
                Job job = state.job;
                if (job.isExpired(now)) {
                    end(state, job.expired(now));
                } else if (job.isDue(now)) {
                    start(state);
                }
            }
        } catch (RuntimeException e) {
            // the next tick tries again; a store that fails is logged by the writer too
            LOG.log(Level.WARNING, "a job step failed", e);
        }
    }

    /** Selects the devices and starts working on them. */
    private void start(JobState state) {
        Job job = state.job;
        List<String> selected = select(job.queryCondition());
        Job running = job.started(selected, clock.instant());
        commit(directory.saveJob(running));
        state.job = running;
        proceed(state);
    }

    /** Works on the devices of a running job that have no result. */
    private void proceed(JobState state) {
        if (state.job.status() != JobStatus.RUNNING) {
            return;
        }
        if (state.job.action() instanceof JobAction.TwinUpdate update) {
            updateTwins(state, update);
        } else {
            callMethods(state, (JobAction.MethodCall) state.job.action());
        }
        completeIfDone(state);
    }

    /**
     * Writes the twins of up to {@link #DEVICES_RUN_BEFORE_ANSWER} devices, then lets other work run before the next
     * ones.
     */
    private void updateTwins(JobState state, JobAction.TwinUpdate update) {
        int written = 0;
        for (String deviceId : state.job.devices()) {
            if (state.results.containsKey(deviceId)) {
                continue;
            }
            if (written == DEVICES_RUN_BEFORE_ANSWER) {
                runner.execute(() -> proceed(state));
                return;
            }
            Instant start = clock.instant();
            DeviceJobResult result;
            try {
                twins.patch(deviceId, update.tags(), update.desired(), update.etag()).join();
                result = DeviceJobResult.succeeded(state.job.jobId(), deviceId, start, clock.instant());
            } catch (RuntimeException e) {
                result = failure(state.job, deviceId, start, e);
            }
            record(state, result);
            written++;
        }
    }

    private void callMethods(JobState state, JobAction.MethodCall method) {
        DirectMethods.Call call = new DirectMethods.Call(method.methodName(), method.payload(),
                Duration.ofSeconds(method.responseTimeoutSeconds()), Duration.ofSeconds(method.connectTimeoutSeconds()));
        String jobId = state.job.jobId();
        for (String deviceId : state.job.devices()) {
            if (state.results.containsKey(deviceId) || !state.running.add(deviceId)) {
                continue;
            }
            Instant start = clock.instant();
            CompletableFuture<DirectMethods.Result> answer;
            try {
                answer = methods.invoke(deviceId, call);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((result, failure) -> execute(() -> {
                if (state.job.status() != JobStatus.RUNNING || state.results.containsKey(deviceId)) {
                    return;
                }
                record(state, failure == null
                        ? DeviceJobResult.answered(jobId, deviceId, start, clock.instant(), result.status(),
                                result.payload())
                        : failure(state.job, deviceId, start, failure));
                completeIfDone(state);
            }));
        }
    }

    private DeviceJobResult failure(Job job, String deviceId, Instant start, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HubException hub) {
            return DeviceJobResult.failed(job.jobId(), deviceId, start, clock.instant(), hub.errorCode().hubName(),
                    hub.getMessage());
        }
        LOG.log(Level.WARNING, "job " + job.jobId() + " failed on device " + deviceId, cause);
        return DeviceJobResult.failed(job.jobId(), deviceId, start, clock.instant(),
                HubErrorCode.SERVER_ERROR.hubName(), "the local hub could not complete this device's part of the job");
    }

    /**
     * Commits a device's result, then shows it. A result whose commit fails is shown anyway (the job must end) and
     * logged: after a restart that device's part runs again.
     */
    private void record(JobState state, DeviceJobResult result) {
        try {
            commit(directory.saveJobResult(result));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "could not store the result of device " + result.deviceId() + " in job "
                    + result.jobId(), e);
        }
        state.results.put(result.deviceId(), result);
        state.running.remove(result.deviceId());
    }

    private void completeIfDone(JobState state) {
        Job job = state.job;
        if (job.status() == JobStatus.RUNNING && state.results.keySet().containsAll(job.devices())) {
            Job completed = job.completed(clock.instant());
            commit(directory.saveJob(completed));
            state.job = completed;
        }
    }

    /** Ends a job early (cancelled or out of time): devices without a result are cancelled. */
    private void end(JobState state, Job ended) {
        Instant now = clock.instant();
        commit(directory.saveJob(ended));
        state.job = ended;
        for (String deviceId : ended.devices()) {
            if (!state.results.containsKey(deviceId)) {
                record(state, DeviceJobResult.cancelled(ended.jobId(), deviceId, ended.startTime(), now));
            }
        }
        state.running.clear();
    }

    /** The device ids the condition selects now, in id order. */
    private List<String> select(String queryCondition) {
        List<String> selected = new ArrayList<>();
        String continuation = null;
        do {
            QueryPage page = selectionPage(queryCondition, SELECTION_PAGE, continuation);
            for (JsonObject row : page.items()) {
                if (row.get("deviceId") instanceof JsonPrimitive id && id.isString()) {
                    selected.add(id.getAsString());
                }
            }
            continuation = page.continuationToken().orElse(null);
        } while (continuation != null);
        return selected;
    }

    /** @throws HubException 400 ArgumentInvalid for a condition that is no valid WHERE clause over devices */
    private QueryPage selectionPage(String queryCondition, int size, String continuation) {
        try {
            return queries.page("SELECT deviceId FROM devices WHERE " + queryCondition, size, continuation);
        } catch (HubException e) {
            if (e.errorCode() != HubErrorCode.ARGUMENT_INVALID) {
                throw e;
            }
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the queryCondition is not a valid condition over"
                    + " devices (it is read as \"SELECT deviceId FROM devices WHERE <queryCondition>\"): "
                    + e.getMessage());
        }
    }

    private static void commit(CompletableFuture<Void> committed) {
        try {
            committed.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private <T> CompletableFuture<T> onRunner(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            runner.execute(() -> {
                try {
                    result.complete(work.call());
                } catch (Exception e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException stopping) {
            result.completeExceptionally(new HubException(HubErrorCode.SERVICE_UNAVAILABLE, "the local hub is stopping"));
        }
        return result;
    }

    private void execute(Runnable work) {
        try {
            runner.execute(work);
        } catch (RejectedExecutionException stopping) {
            LOG.fine("the hub is stopping; a job step is dropped");
        }
    }

    /** Stops the runner; jobs stay as stored and go on when a hub opens the same store again. */
    @Override
    public void close() {
        runner.shutdownNow();
    }
}
