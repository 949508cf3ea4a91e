package lab.devicetwins.localhub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import lab.devicetwins.localhub.auth.SharedAccessPolicy;
import lab.devicetwins.localhub.registry.ConnectionState;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.registry.DeviceStatus;
import lab.devicetwins.localhub.registry.ImportMode;
import lab.devicetwins.localhub.store.FailingHubStore;
import lab.devicetwins.localhub.store.InMemoryHubStore;
import lab.devicetwins.localhub.twin.ServiceTwinWrite;
import lab.devicetwins.localhub.twin.TwinLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The change feed: what the registry and the twin operations tell a watcher, and only after a commit. */
class TwinChangeFeedTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

    private final FailingHubStore store = new FailingHubStore(new InMemoryHubStore());
    private final DeviceDirectory directory = new DeviceDirectory(store, CLOCK, TwinLimits.defaults());
    private final IdentityRegistry registry = new IdentityRegistry(directory, SharedAccessPolicy.defaults());
    private final TwinOperations twins = new TwinOperations(directory);
    private final List<TwinChangeFeed.Change> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() throws Exception {
        await(registry.create(DeviceRequest.withKeys("dev1", null, null)));
        directory.changes().subscribe(heard::add);
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

    @Test
    void a_reported_patch_is_heard_as_the_devices_with_the_twin_before_and_after() throws Exception {
        await(twins.patchReported("dev1", json("{\"connectivityType\":\"cellular\"}"), null));

        assertThat(heard).singleElement().satisfies(change -> {
            assertThat(change.key()).isEqualTo("dev1");
            assertThat(change.kind()).isEqualTo(TwinChangeFeed.Kind.TWIN);
            assertThat(change.writer()).isEqualTo(TwinChangeFeed.Writer.DEVICE);
            assertThat(change.before().reportedVersion()).isEqualTo(1);
            assertThat(change.after().reportedVersion()).isEqualTo(2);
            assertThat(change.at()).isEqualTo(CLOCK.instant());
        });
    }

    @Test
    void a_service_patch_is_heard_as_the_services() throws Exception {
        await(twins.patch("dev1", json("{\"plant\":\"Redmond43\"}"), null, null));

        assertThat(heard).singleElement().satisfies(change -> {
            assertThat(change.writer()).isEqualTo(TwinChangeFeed.Writer.SERVICE);
            assertThat(change.after().tags().get("plant").getAsString()).isEqualTo("Redmond43");
            assertThat(change.before().tags().has("plant")).isFalse();
        });
    }

    @Test
    void a_write_that_changes_nothing_is_not_heard() throws Exception {
        var unchanged = await(twins.patch("dev1", new JsonObject(), new JsonObject(), null));

        assertThat(unchanged.twin().version()).as("no new version").isEqualTo(1);
        assertThat(heard).isEmpty();
    }

    @Test
    void a_write_whose_commit_fails_is_not_heard() {
        store.failNext(1);

        assertThatThrownBy(() -> await(twins.patchReported("dev1", json("{\"a\":1}"), null)))
                .isInstanceOf(ExecutionException.class);

        assertThat(heard).isEmpty();
    }

    @Test
    void creating_disabling_connecting_and_deleting_are_heard_in_order() throws Exception {
        await(registry.create(DeviceRequest.withKeys("dev2", null, null)));
        await(registry.update(new DeviceRequest("dev2", DeviceStatus.DISABLED, null, null, false, null, List.of()), "*"));
        await(registry.connectionChanged("dev1", ConnectionState.CONNECTED));
        await(registry.delete("dev2", "*"));

        assertThat(heard).extracting(TwinChangeFeed.Change::key, TwinChangeFeed.Change::kind).containsExactly(
                tuple("dev2", TwinChangeFeed.Kind.CREATED),
                tuple("dev2", TwinChangeFeed.Kind.UPDATED),
                tuple("dev1", TwinChangeFeed.Kind.CONNECTION),
                tuple("dev2", TwinChangeFeed.Kind.DELETED));
        assertThat(heard.get(0).before()).isNull();
        assertThat(heard.get(1).identity().status()).isEqualTo(DeviceStatus.DISABLED);
        assertThat(heard.get(2).writer()).isEqualTo(TwinChangeFeed.Writer.DEVICE);
    }

    private static BulkRegistry.Item bulkItem(ImportMode mode, String deviceId, DeviceStatus status,
                                              ServiceTwinWrite twin) {
        DeviceRequest device = status == null ? null
                : new DeviceRequest(deviceId, status, null, null, false, null, List.of());
        return new BulkRegistry.Item(mode, deviceId, null, null, null, device, null, twin, null);
    }

    @Test
    void a_bulk_call_is_heard_as_one_change_per_identity_like_single_writes() throws Exception {
        BulkRegistry bulk = new BulkRegistry(registry, twins);
        await(bulk.apply(List.of(
                bulkItem(ImportMode.CREATE, "bulk1", DeviceStatus.ENABLED,
                        new ServiceTwinWrite(json("{\"plant\":\"Redmond43\"}"), null)),
                bulkItem(ImportMode.CREATE, "bulk2", DeviceStatus.ENABLED, null),
                bulkItem(ImportMode.UPDATE, "dev1", DeviceStatus.DISABLED, null),
                bulkItem(ImportMode.UPDATE_TWIN, "bulk2", null, new ServiceTwinWrite(json("{\"n\":2}"), null)))));
        await(bulk.apply(List.of(bulkItem(ImportMode.DELETE, "bulk1", null, null))));

        assertThat(heard).extracting(TwinChangeFeed.Change::key, TwinChangeFeed.Change::kind,
                TwinChangeFeed.Change::writer).containsExactly(
                tuple("bulk1", TwinChangeFeed.Kind.CREATED, TwinChangeFeed.Writer.SERVICE),
                tuple("bulk2", TwinChangeFeed.Kind.CREATED, TwinChangeFeed.Writer.SERVICE),
                tuple("dev1", TwinChangeFeed.Kind.UPDATED, TwinChangeFeed.Writer.SERVICE),
                tuple("bulk2", TwinChangeFeed.Kind.TWIN, TwinChangeFeed.Writer.SERVICE),
                tuple("bulk1", TwinChangeFeed.Kind.DELETED, TwinChangeFeed.Writer.SERVICE));
        assertThat(heard.get(0).after().tags().get("plant").getAsString()).isEqualTo("Redmond43");
        assertThat(heard.get(2).identity().status()).isEqualTo(DeviceStatus.DISABLED);
        assertThat(heard.get(3).after().tags().get("n").getAsInt()).isEqualTo(2);
    }

    @Test
    void a_bulk_item_whose_commit_fails_is_not_heard() throws Exception {
        BulkRegistry bulk = new BulkRegistry(registry, twins);
        store.failNext(1);

        var errors = await(bulk.apply(List.of(bulkItem(ImportMode.CREATE, "lost", DeviceStatus.ENABLED, null))));
        await(bulk.apply(List.of(bulkItem(ImportMode.CREATE, "kept", DeviceStatus.ENABLED, null))));

        assertThat(errors).extracting(BulkRegistry.ItemError::deviceId).containsExactly("lost");
        assertThat(heard).extracting(TwinChangeFeed.Change::key).containsExactly("kept");
    }

    @Test
    void a_listener_that_fails_does_not_fail_the_write() throws Exception {
        directory.changes().subscribe(change -> {
            throw new IllegalStateException("a broken watcher");
        });

        long version = await(twins.patchReported("dev1", json("{\"a\":1}"), null));

        assertThat(version).isEqualTo(2);
        assertThat(heard).hasSize(1);
    }

    @Test
    void a_listener_removed_hears_nothing_more() throws Exception {
        List<TwinChangeFeed.Change> other = new CopyOnWriteArrayList<>();
        AutoCloseable subscription = directory.changes().subscribe(other::add);
        subscription.close();

        await(twins.patchReported("dev1", json("{\"a\":1}"), null));

        assertThat(other).isEmpty();
        assertThat(heard).hasSize(1);
        assertThat(new TwinChangeFeed(CLOCK).listened()).isFalse();
    }
}
