package lab.devicetwins.localhub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import lab.devicetwins.localhub.auth.SharedAccessPolicy;
import lab.devicetwins.localhub.http.TwinView;
import lab.devicetwins.localhub.query.QueryPage;
import lab.devicetwins.localhub.query.QueryRow;
import lab.devicetwins.localhub.query.TwinSource;
import lab.devicetwins.localhub.registry.ConnectionState;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.registry.DeviceStatus;
import lab.devicetwins.localhub.registry.ModuleRequest;
import lab.devicetwins.localhub.sdk.SettableClock;
import lab.devicetwins.localhub.store.InMemoryHubStore;
import lab.devicetwins.localhub.twin.TwinLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queries over the delayed index: every change the directory commits (creation, twin write, registry update,
 * connection, deletion) shows in query results exactly one lag after it was committed, by the hub's clock, never
 * sooner, and paging goes on over the index as it moves.
 */
class LaggingTwinQueriesTest {
    private static final Duration LAG = Duration.ofSeconds(3);

    private final SettableClock clock = new SettableClock();
    private final DeviceDirectory directory = new DeviceDirectory(new InMemoryHubStore(), clock, TwinLimits.defaults());
    private final IdentityRegistry registry = new IdentityRegistry(directory, SharedAccessPolicy.defaults());
    private final TwinOperations twins = new TwinOperations(directory);
    private final DirectoryTwinQueries live = new DirectoryTwinQueries(directory, TwinView::of);
    private LaggingTwinQueries lagging;
    private Instant start;

    @BeforeEach
    void a_hub_with_one_stored_device() throws Exception {
        await(registry.create(DeviceRequest.withKeys("stored", null, null)));
        lagging = LaggingTwinQueries.over(directory, LAG, live);
        start = clock.instant();
    }

    @AfterEach
    void close() {
        directory.close();
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    /** Sets the clock to {@code seconds} after the start (milliseconds allowed). */
    private void at(double seconds) {
        clock.set(start.plusMillis(Math.round(seconds * 1000)));
    }

    /** The keys every page of the query returns, read to the end. */
    private List<String> keys(TwinQueries queries, String query) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            QueryPage page = queries.page(query, 100, token);
            page.items().forEach(item -> keys.add(key(item)));
            token = page.continuationToken().orElse(null);
        } while (token != null);
        return keys;
    }

    private List<String> keys(String query) {
        return keys(lagging, query);
    }

    private static String key(JsonObject item) {
        String deviceId = item.get("deviceId").getAsString();
        return item.has("moduleId") ? deviceId + "/" + item.get("moduleId").getAsString() : deviceId;
    }

    @Test
    void what_the_directory_held_when_the_index_was_made_is_queried_at_once() {
        assertThat(keys("SELECT * FROM devices")).containsExactly("stored");
    }

    @Test
    void a_created_device_is_queried_from_one_lag_after_its_commit_on() throws Exception {
        await(registry.create(DeviceRequest.withKeys("new", null, null)));

        assertThat(keys("SELECT * FROM devices")).containsExactly("stored");
        at(2.999);
        assertThat(keys("SELECT * FROM devices")).containsExactly("stored");
        at(3);
        assertThat(keys("SELECT * FROM devices")).containsExactly("new", "stored");
    }

    @Test
    void a_tag_written_keeps_its_old_value_in_queries_until_the_lag_has_passed() throws Exception {
        await(twins.patch("stored", json("{\"plant\":\"Redmond43\"}"), null, null));
        at(1);
        await(twins.patch("stored", json("{\"plant\":\"Kyoto\"}"), null, null));

        at(2.9);
        assertThat(keys("SELECT * FROM devices WHERE tags.plant = 'Redmond43'")).isEmpty();
        assertThat(keys("SELECT * FROM devices WHERE NOT IS_DEFINED(tags.plant)")).containsExactly("stored");
        at(3);
        assertThat(keys("SELECT * FROM devices WHERE tags.plant = 'Redmond43'")).containsExactly("stored");
        at(4);
        assertThat(keys("SELECT * FROM devices WHERE tags.plant = 'Redmond43'")).isEmpty();
        assertThat(keys("SELECT * FROM devices WHERE tags.plant = 'Kyoto'")).containsExactly("stored");
    }

    @Test
    void reported_properties_lag_like_tags() throws Exception {
        await(twins.patchReported("stored", json("{\"connectivity\":\"cellular\"}"), null));

        assertThat(keys("SELECT * FROM devices WHERE properties.reported.connectivity = 'cellular'")).isEmpty();
        at(3);
        assertThat(keys("SELECT * FROM devices WHERE properties.reported.connectivity = 'cellular'"))
                .containsExactly("stored");
    }

    @Test
    void a_status_change_lags_too() throws Exception {
        await(registry.update(new DeviceRequest("stored", DeviceStatus.DISABLED, null, null, false, null, List.of()),
                "*"));

        assertThat(keys("SELECT * FROM devices WHERE status = 'disabled'")).isEmpty();
        at(3);
        assertThat(keys("SELECT * FROM devices WHERE status = 'disabled'")).containsExactly("stored");
    }

    @Test
    void a_connection_shows_in_the_connection_state_one_lag_later() throws Exception {
        await(registry.connectionChanged("stored", ConnectionState.CONNECTED));

        assertThat(keys("SELECT * FROM devices WHERE connectionState = 'Connected'")).isEmpty();
        at(3);
        assertThat(keys("SELECT * FROM devices WHERE connectionState = 'Connected'")).containsExactly("stored");
    }

    @Test
    void a_deleted_device_and_its_modules_stay_in_results_until_the_lag_has_passed() throws Exception {
        await(registry.createModule(new ModuleRequest("stored", "sensor", null, null)));
        at(3);
        assertThat(keys("SELECT * FROM devices.modules")).containsExactly("stored/sensor");

        await(registry.delete("stored", "*"));

        at(5.999);
        assertThat(keys("SELECT * FROM devices")).containsExactly("stored");
        assertThat(keys("SELECT * FROM devices.modules")).containsExactly("stored/sensor");
        at(6);
        assertThat(keys("SELECT * FROM devices")).isEmpty();
        assertThat(keys("SELECT * FROM devices.modules")).isEmpty();
    }

    @Test
    void a_device_deleted_and_created_again_ends_as_the_new_one() throws Exception {
        await(twins.patch("stored", json("{\"generation\":1}"), null, null));
        await(registry.delete("stored", "*"));
        await(registry.create(DeviceRequest.withKeys("stored", null, null)));

        at(3);
        assertThat(keys("SELECT * FROM devices WHERE IS_DEFINED(tags.generation)")).isEmpty();
        assertThat(keys("SELECT * FROM devices")).containsExactly("stored");
    }

    @Test
    void once_the_lag_has_passed_a_row_reads_as_the_live_query_writes_it() throws Exception {
        await(twins.patch("stored", json("{\"plant\":\"Redmond43\"}"), null, null));
        await(twins.patchReported("stored", json("{\"connectivity\":\"cellular\"}"), null));
        await(registry.connectionChanged("stored", ConnectionState.CONNECTED));
        at(3);

        for (String query : List.of("SELECT * FROM devices", "SELECT deviceId, tags.plant, status FROM devices",
                "SELECT COUNT() AS n FROM devices WHERE connectionState = 'Connected'")) {
            assertThat(lagging.page(query, 100, null).items()).as(query)
                    .isEqualTo(live.page(query, 100, null).items());
        }
    }

    @Test
    void paging_goes_on_over_the_index_as_changes_become_visible() throws Exception {
        for (String id : List.of("a", "b", "c", "d", "e", "f")) {
            await(registry.create(DeviceRequest.withKeys(id, null, null)));
        }
        at(3);
        QueryPage first = lagging.page("SELECT * FROM devices", 2, null);
        assertThat(first.items()).extracting(LaggingTwinQueriesTest::key).containsExactly("a", "b");

        // committed now, visible at 6: one created behind the position reached, one created and one deleted ahead
        await(registry.create(DeviceRequest.withKeys("a2", null, null)));
        await(registry.create(DeviceRequest.withKeys("e2", null, null)));
        await(registry.delete("f", "*"));
        QueryPage second = lagging.page("SELECT * FROM devices", 2, first.continuationToken().orElseThrow());
        assertThat(second.items()).extracting(LaggingTwinQueriesTest::key).containsExactly("c", "d");

        at(6);
        List<String> rest = new ArrayList<>();
        String token = second.continuationToken().orElseThrow();
        while (token != null) {
            QueryPage page = lagging.page("SELECT * FROM devices", 2, token);
            page.items().forEach(item -> rest.add(key(item)));
            token = page.continuationToken().orElse(null);
        }
        assertThat(rest).containsExactly("e", "e2", "stored");
        assertThat(keys("SELECT * FROM devices")).containsExactly("a", "a2", "b", "c", "d", "e", "e2", "stored");
    }

    @Test
    void device_jobs_are_read_where_the_live_queries_read_them() {
        live.setDeviceJobs(() -> TwinSource.of(List.of(
                QueryRow.of(json("{\"deviceId\":\"stored\",\"jobId\":\"j1\"}")))));

        assertThat(lagging.page("SELECT * FROM devices.jobs", 100, null).items()).hasSize(1)
                .isEqualTo(live.page("SELECT * FROM devices.jobs", 100, null).items());
    }

    @Test
    void an_index_without_lag_is_refused_before_it_listens_to_the_change_feed() {
        DeviceDirectory another = new DeviceDirectory(new InMemoryHubStore(), clock, TwinLimits.defaults());
        try {
            assertThatThrownBy(() -> LaggingTwinQueries.over(another, Duration.ZERO,
                    new DirectoryTwinQueries(another, TwinView::of)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive lag");
            assertThat(another.changes().listened()).isFalse();
        } finally {
            another.close();
        }
    }
}
