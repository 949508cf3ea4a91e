package lab.devicetwins.localhub.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonNull;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.List;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The life of a job without a hub: its states, its deadline, its statistics, and the job id rule. */
class JobTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final JobAction METHOD = new JobAction.MethodCall("reboot", JsonNull.INSTANCE, 30, 0);

    private static Job job(Instant start) {
        return Job.create("job-1", JobType.SCHEDULE_DEVICE_METHOD, METHOD, "deviceId = 'a'", start, 60, T0);
    }

    @Test
    void a_job_that_starts_later_is_scheduled_and_one_that_starts_now_is_enqueued() {
        assertThat(job(T0.plusSeconds(1)).status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(job(T0).status()).isEqualTo(JobStatus.ENQUEUED);
        assertThat(job(T0.minusSeconds(5)).status()).isEqualTo(JobStatus.ENQUEUED);
    }

    @Test
    void a_scheduled_job_is_due_from_its_start_time_on_and_not_before() {
        Job scheduled = job(T0.plusSeconds(10));

        assertThat(scheduled.isDue(T0.plusSeconds(9))).isFalse();
        assertThat(scheduled.isDue(T0.plusSeconds(10))).isTrue();
        assertThat(scheduled.started(List.of("a"), T0.plusSeconds(10)).isDue(T0.plusSeconds(11))).isFalse();
    }

    @Test
    void a_started_job_runs_over_the_devices_it_selected_and_completes() {
        Job running = job(T0).started(List.of("a", "b"), T0.plusSeconds(1));
        Job completed = running.completed(T0.plusSeconds(2));

        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.devices()).containsExactly("a", "b");
        assertThat(running.endTime()).isNull();
        assertThat(completed.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(completed.endTime()).isEqualTo(T0.plusSeconds(2));
        assertThat(completed.lastUpdatedTime()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void a_job_runs_out_of_time_at_its_start_time_plus_its_maximum_execution_time_and_then_fails() {
        Job running = job(T0).started(List.of("a"), T0);

        assertThat(running.deadline()).isEqualTo(T0.plusSeconds(60));
        assertThat(running.isExpired(T0.plusSeconds(59))).isFalse();
        assertThat(running.isExpired(T0.plusSeconds(60))).isTrue();
        Job expired = running.expired(T0.plusSeconds(60));
        assertThat(expired.status()).isEqualTo(JobStatus.FAILED);
        assertThat(expired.failureReason()).contains("maxExecutionTimeInSeconds");
        assertThat(expired.isExpired(T0.plusSeconds(99))).isFalse();
    }

    @Test
    void a_cancelled_job_stays_cancelled_and_a_finished_job_cannot_be_cancelled_or_started() {
        Job cancelled = job(T0.plusSeconds(10)).cancelled(T0.plusSeconds(1));
        Job completed = job(T0).started(List.of(), T0).completed(T0.plusSeconds(1));

        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.isDue(T0.plusSeconds(20))).isFalse();
        assertThat(completed.cancelled(T0.plusSeconds(5))).isEqualTo(completed);
        assertThat(cancelled.completed(T0.plusSeconds(5))).isEqualTo(cancelled);
        assertThatThrownBy(() -> cancelled.started(List.of("a"), T0.plusSeconds(20)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void statistics_count_succeeded_failed_and_cancelled_running_and_pending_devices() {
        Job running = job(T0).started(List.of("a", "b", "c", "d", "e"), T0);
        List<DeviceJobResult> results = List.of(
                DeviceJobResult.answered("job-1", "a", T0, T0, 200, JsonParser.parseString("{\"ok\":true}")),
                DeviceJobResult.failed("job-1", "b", T0, T0, "DeviceNotOnline", "offline"),
                DeviceJobResult.cancelled("job-1", "c", T0, T0));

        assertThat(JobStatistics.of(running, results, 1)).isEqualTo(new JobStatistics(5, 2, 1, 1, 1));
    }

    @Test
    void a_method_answer_is_kept_as_the_device_method_response_outcome() {
        DeviceJobResult result = DeviceJobResult.answered("job-1", "a", T0, T0, 404, JsonParser.parseString("[1]"));

        assertThat(result.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(result.outcome()).isEqualTo(JsonParser.parseString(
                "{\"deviceMethodResponse\":{\"status\":404,\"payload\":[1]}}"));
    }

    @Test
    void a_twin_job_cannot_carry_a_method_call() {
        assertThatThrownBy(() -> Job.create("j", JobType.SCHEDULE_UPDATE_TWIN, METHOD, "x = 1", T0, 60, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "job_1", "job 1", "job.1", "jöb", "a/b"})
    void a_job_id_outside_letters_digits_and_dashes_is_refused(String id) {
        assertThatThrownBy(() -> JobId.require(id)).isInstanceOfSatisfying(HubException.class,
                e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID));
    }

    @Test
    void a_job_id_of_64_characters_is_taken_and_one_of_65_is_not() {
        assertThat(JobId.require("a-".repeat(32))).hasSize(64);
        assertThatThrownBy(() -> JobId.require("a".repeat(65))).isInstanceOf(HubException.class)
                .hasMessageContaining("64");
    }
}
