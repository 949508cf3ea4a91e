package lab.devicetwins.tutorial.service.exercises;

import static org.assertj.core.api.Assertions.assertThat;
import static lab.devicetwins.tutorial.exercise.ExerciseAssertions.thrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubPreconditionFailedException;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;

import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.tutorial.exercise.ExerciseHub;

@Tag("ex-02-1-if-match-retry")
class OptimisticTwinUpdateTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private TwinClient twins;
    /** Another back end that writes the same twin. */
    private TwinClient otherBackEnd;
    private String deviceId;
    private final AtomicInteger reads = new AtomicInteger();

    @BeforeEach
    void register_a_device() throws Exception {
        ExerciseHub hub = ExerciseHub.of(localHub.hub());
        twins = hub.twins();
        otherBackEnd = hub.twins();
        deviceId = hub.newDevice("if-match");
    }

    @Test
    void an_update_of_a_twin_nobody_else_writes_succeeds_on_the_first_attempt() throws Exception {
        Twin updated = new OptimisticTwinUpdate(twins).update(deviceId, incrementRestarts());

        assertThat(restarts(updated)).isEqualTo(1);
        assertThat(restarts(twins.get(deviceId))).isEqualTo(1);
        assertThat(reads).hasValue(1);
    }

    @Test
    void a_write_by_someone_else_between_read_and_write_is_kept_and_the_update_starts_over() throws Exception {
        Function<Twin, Twin> increment = incrementRestarts();
        Function<Twin, Twin> interfered = read -> {
            if (reads.get() == 0) {
                setRestarts(otherBackEnd, 10); // lands after our read, before our write
            }
            return increment.apply(read);
        };

        Twin updated = new OptimisticTwinUpdate(twins).update(deviceId, interfered);

        assertThat(reads).as("reads of the twin").hasValue(2);
        assertThat(restarts(updated)).as("10 from the other back end, plus our 1").isEqualTo(11);
        assertThat(restarts(twins.get(deviceId))).isEqualTo(11);
    }

    @Test
    void it_gives_up_with_precondition_failed_when_the_twin_changes_before_every_write() {
        Function<Twin, Twin> increment = incrementRestarts();
        Function<Twin, Twin> alwaysInterfered = read -> {
            setRestarts(otherBackEnd, 100 + reads.get());
            return increment.apply(read);
        };

        Throwable thrown = thrownBy(() -> new OptimisticTwinUpdate(twins).update(deviceId, alwaysInterfered));

        assertThat(thrown).isInstanceOf(IotHubPreconditionFailedException.class);
        assertThat(reads).hasValue(OptimisticTwinUpdate.ATTEMPTS);
    }

    /** The change under test: tags.restarts + 1, computed from the twin as read. */
    private Function<Twin, Twin> incrementRestarts() {
        return read -> {
            reads.incrementAndGet();
            Twin patch = new Twin(deviceId);
            patch.getTags().put("restarts", restarts(read) + 1);
            return patch;
        };
    }

    private void setRestarts(TwinClient client, int restarts) {
        Twin patch = new Twin(deviceId);
        patch.getTags().put("restarts", restarts);
        try {
            client.patch(patch);
        } catch (Exception e) {
            throw new IllegalStateException("the other back end could not write the twin", e);
        }
    }

    private static int restarts(Twin twin) {
        Object restarts = twin.getTags().get("restarts");
        return restarts == null ? 0 : ((Number) restarts).intValue();
    }
}
