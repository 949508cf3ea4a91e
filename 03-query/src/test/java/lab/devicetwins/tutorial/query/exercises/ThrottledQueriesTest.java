package lab.devicetwins.tutorial.query.exercises;

import static org.assertj.core.api.Assertions.assertThat;
import static lab.devicetwins.tutorial.exercise.ExerciseAssertions.thrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubBadFormatException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubTooManyRequestsException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.twin.Twin;

import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.localhub.realism.Operation;
import lab.devicetwins.localhub.realism.Tier;
import lab.devicetwins.tutorial.exercise.ExerciseHub;

/**
 * Against a hub that throttles as an S1 hub of one unit does: 20 queries at once when idle, then one every 3 s, and a
 * query over the rate refused at once with 429 (no traffic shaping). Every test has a hub of its own, since the tests
 * need the throttle in different states: spent, or with queries to spare.
 */
@Tag("ex-03-4-back-off")
class ThrottledQueriesTest {

    private static final HubProfile S1 = HubProfile.of(Tier.S1, 1).withShapingLimit(Duration.ZERO)
            .withQueryLag(Duration.ZERO);
    private static final String PLANT = "SELECT * FROM devices WHERE tags.plant = 'Throttled2'";

    private LocalHub localHub;
    private ExerciseHub hub;
    private QueryClient queries;
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start_an_s1_hub() {
        localHub = LocalHub.builder().httpsPort(0).profile(S1).start();
        hub = ExerciseHub.of(localHub);
        queries = hub.queries();
    }

    @AfterEach
    void close_the_hub() {
        hub.close();
        localHub.close();
    }

    @Test
    void a_throttled_query_is_run_again_after_a_pause_and_returns_its_rows() throws Exception {
        List<String> plant = List.of(tagged(hub.newDevice("throttled")), tagged(hub.newDevice("throttled")));
        spendTheBurst();
        long refusedBefore = refusedQueries();
        ThrottledQueries throttled = new ThrottledQueries(pause -> {
            pauses.add(pause);
            Thread.sleep(pause.toMillis());
        }, new Random());

        List<String> ids = throttled.run(() -> deviceIds(PLANT));

        assertThat(ids).containsExactlyInAnyOrderElementsOf(plant);
        assertThat(pauses).as("pauses before the query got through").isNotEmpty();
        assertThat(refusedQueries() - refusedBefore).as("queries the hub refused with 429").isEqualTo(pauses.size());
        assertWithinGrowingBounds(pauses);
    }

    @Test
    void a_bad_query_is_thrown_at_once_without_a_pause() {
        AtomicInteger runs = new AtomicInteger();
        ThrottledQueries throttled = new ThrottledQueries(pauses::add, new Random());

        Throwable thrown = thrownBy(() -> throttled.run(() -> {
            runs.incrementAndGet();
            return deviceIds("SELECT * FROM devices WHERE");
        }));

        assertThat(thrown).isInstanceOf(IotHubBadFormatException.class);
        assertThat(runs).as("runs of the query").hasValue(1);
        assertThat(pauses).isEmpty();
        assertThat(refusedQueries()).as("queries the hub refused with 429").isZero();
    }

    @Test
    void it_gives_up_after_its_attempts_and_throws_the_last_429() throws Exception {
        spendTheBurst();
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<IotHubTooManyRequestsException> last = new AtomicReference<>();
        // records the pause without waiting it out: no query comes free in the meantime
        ThrottledQueries throttled = new ThrottledQueries(pauses::add, new Random());

        Throwable thrown = thrownBy(() -> throttled.run(() -> {
            runs.incrementAndGet();
            try {
                return deviceIds(PLANT);
            } catch (IotHubTooManyRequestsException refused) {
                last.set(refused);
                throw refused;
            }
        }));

        assertThat(thrown).isInstanceOf(IotHubTooManyRequestsException.class).isSameAs(last.get());
        assertThat(runs).as("runs of the query").hasValue(ThrottledQueries.ATTEMPTS);
        assertThat(pauses).hasSize(ThrottledQueries.ATTEMPTS - 1);
        assertWithinGrowingBounds(pauses);
        assertThat(ThrottledQueries.bound(pauses.size() - 1)).as("the last bound")
                .isGreaterThan(ThrottledQueries.bound(0)).isLessThanOrEqualTo(ThrottledQueries.CAP);
    }

    /** Each pause lies between zero and the bound of its retry, and each bound is at least the one before. */
    private static void assertWithinGrowingBounds(List<Duration> pauses) {
        Duration previousBound = Duration.ZERO;
        for (int retry = 0; retry < pauses.size(); retry++) {
            Duration bound = ThrottledQueries.bound(retry);
            assertThat(bound).as("bound of retry %d", retry).isGreaterThanOrEqualTo(previousBound);
            assertThat(pauses.get(retry)).as("pause before retry %d", retry)
                    .isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(bound);
            previousBound = bound;
        }
    }

    /**
     * Runs queries until the hub refuses one. An idle S1 throttle lets 20 through at once; the next comes free 3 s
     * after the first of them, so the hub refuses every query for the rest of those seconds.
     */
    private void spendTheBurst() throws IOException, IotHubException {
        for (int i = 0; i < 40; i++) {
            try {
                deviceIds("SELECT deviceId FROM devices");
            } catch (IotHubTooManyRequestsException refused) {
                return;
            }
        }
        throw new AssertionError("the hub never refused a query: it does not throttle as an S1 hub does");
    }

    private List<String> deviceIds(String query) throws IOException, IotHubException {
        QueryPageOptions options = QueryPageOptions.builder().pageSize(100).build();
        TwinQueryResponse response = queries.queryTwins(query, options);
        List<String> ids = new ArrayList<>();
        while (response.hasNext()) {
            ids.add(response.next(options).getDeviceId());
        }
        return ids;
    }

    private String tagged(String deviceId) throws IOException, IotHubException {
        Twin tags = new Twin(deviceId);
        tags.getTags().put("plant", "Throttled2");
        hub.twins().patch(tags);
        return deviceId;
    }

    private long refusedQueries() {
        return localHub.throttleCounts().get(Operation.QUERIES).throttled();
    }
}
