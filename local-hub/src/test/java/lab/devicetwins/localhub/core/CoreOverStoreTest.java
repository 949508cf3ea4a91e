package lab.devicetwins.localhub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import lab.devicetwins.localhub.auth.SharedAccessPolicy;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.registry.ConnectionState;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.registry.DeviceStatus;
import lab.devicetwins.localhub.store.FailingHubStore;
import lab.devicetwins.localhub.store.InMemoryHubStore;
import lab.devicetwins.localhub.store.StoreException;
import lab.devicetwins.localhub.twin.TwinLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The identity registry and twin operations over a real in-memory store, and what happens when a commit fails: the
 * caller is told, and the hub's live state goes back to what the store holds.
 */
class CoreOverStoreTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

    private final FailingHubStore store = new FailingHubStore(new InMemoryHubStore());
    private final DeviceDirectory directory = new DeviceDirectory(store, CLOCK, TwinLimits.defaults());
    private final IdentityRegistry registry = new IdentityRegistry(directory, SharedAccessPolicy.defaults());
    private final TwinOperations twins = new TwinOperations(directory);
    private final List<String> notified;

    CoreOverStoreTest() {
        RecordedEvents events = new RecordedEvents();
        twins.setEvents(events);
        notified = events.lines;
        registry.setEvents(events);
    }

    @AfterEach
    void close() {
        directory.close();
    }

    @Test
    void a_created_device_is_readable_and_stored_once_the_create_completes() throws Exception {
        DeviceIdentity created = await(registry.create(request("dev1")));

        assertThat(registry.require("dev1")).isEqualTo(created);
        assertThat(store.loadDevice("dev1").orElseThrow().identity()).isEqualTo(created);
    }

    @Test
    void a_create_whose_commit_fails_fails_and_leaves_no_device() {
        store.failNext(1);

        assertFailsWithStoreError(registry.create(request("dev1")));

        assertThat(registry.get("dev1")).isEmpty();
        assertThat(store.loadDevice("dev1")).isEmpty();
    }

    @Test
    void a_twin_patch_whose_commit_fails_leaves_the_twin_as_stored_and_sends_no_notification() throws Exception {
        await(registry.create(request("dev1")));
        await(twins.patch("dev1", json("{\"plant\":\"A\"}"), json("{\"interval\":30}"), null));
        var before = twins.serviceView("dev1");
        notified.clear();

        store.failNext(1);
        assertFailsWithStoreError(twins.patch("dev1", json("{\"plant\":\"B\"}"), json("{\"interval\":60}"), null));

        assertThat(twins.serviceView("dev1")).isEqualTo(before);
        assertThat(notified).isEmpty();
        // the next write builds on the stored twin, not on the one that was never kept
        var after = await(twins.patch("dev1", null, json("{\"mode\":\"eco\"}"), null));
        assertThat(after.twin().desiredVersion()).isEqualTo(before.twin().desiredVersion() + 1);
        assertThat(after.twin().desired(false).get("interval").getAsInt()).isEqualTo(30);
    }

    @Test
    void a_reported_patch_whose_commit_fails_leaves_the_reported_version_as_stored() throws Exception {
        await(registry.create(request("dev1")));
        long version = await(twins.patchReported("dev1", json("{\"temp\":21}"), null));

        store.failNext(1);
        assertFailsWithStoreError(twins.patchReported("dev1", json("{\"temp\":22}"), null));

        assertThat(twins.deviceView("dev1").reportedVersion()).isEqualTo(version);
        assertThat(twins.deviceView("dev1").reported(false).get("temp").getAsInt()).isEqualTo(21);
    }

    @Test
    void a_delete_whose_commit_fails_brings_the_device_back() throws Exception {
        DeviceIdentity created = await(registry.create(request("dev1")));

        store.failNext(1);
        assertFailsWithStoreError(registry.delete("dev1", "*"));

        assertThat(registry.get("dev1")).contains(created);
        await(registry.delete("dev1", "*"));
        assertThat(registry.get("dev1")).isEmpty();
        assertThat(notified).containsExactly("dev1 revoked");
    }

    @Test
    void an_update_honours_if_match_and_a_stale_etag_gets_412() throws Exception {
        DeviceIdentity created = await(registry.create(request("dev1")));
        DeviceIdentity updated = await(registry.update(new DeviceRequest("dev1", DeviceStatus.DISABLED, "x", null, false,
                null, null), created.etag()));

        assertThat(updated.status()).isEqualTo(DeviceStatus.DISABLED);
        assertThatThrownBy(() -> registry.update(request("dev1"), created.etag()))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.PRECONDITION_FAILED));
    }

    @Test
    void a_new_directory_over_the_same_store_sees_every_committed_device_disconnected() throws Exception {
        await(registry.create(request("dev1")));
        await(registry.connectionChanged("dev1", ConnectionState.CONNECTED));
        directory.close();

        DeviceDirectory reopened = new DeviceDirectory(store, CLOCK, TwinLimits.defaults());
        try {
            IdentityRegistry again = new IdentityRegistry(reopened, SharedAccessPolicy.defaults());
            assertThat(again.require("dev1").connectionState())
                    .isEqualTo(ConnectionState.DISCONNECTED);
        } finally {
            reopened.close();
        }
    }

    private static DeviceRequest request(String id) {
        return DeviceRequest.withKeys(id, null, null);
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static void assertFailsWithStoreError(CompletableFuture<?> future) {
        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreException.class);
    }
}
