package lab.devicetwins.localhub.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lab.devicetwins.localhub.auth.SharedAccessPolicy;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.registry.DeviceStatus;
import lab.devicetwins.localhub.registry.ImportMode;
import lab.devicetwins.localhub.store.FailingHubStore;
import lab.devicetwins.localhub.store.InMemoryHubStore;
import lab.devicetwins.localhub.twin.ServiceTwinWrite;
import lab.devicetwins.localhub.twin.TwinLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bulk registry over a real store: what it answers is committed, and a failed commit is reported per item. */
class BulkRegistryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T08:00:00Z"), ZoneOffset.UTC);

    private final FailingHubStore store = new FailingHubStore(new InMemoryHubStore());
    private final DeviceDirectory directory = new DeviceDirectory(store, CLOCK, TwinLimits.defaults());
    private final IdentityRegistry registry = new IdentityRegistry(directory, SharedAccessPolicy.defaults());
    private final TwinOperations twins = new TwinOperations(directory);
    private final BulkRegistry bulk = new BulkRegistry(registry, twins);
    private final List<String> notified;

    BulkRegistryTest() {
        RecordedEvents events = new RecordedEvents();
        registry.setEvents(events);
        twins.setEvents(events);
        notified = events.lines;
    }

    @AfterEach
    void close() {
        directory.close();
    }

    private static BulkRegistry.Item create(String deviceId, ServiceTwinWrite twin) {
        return new BulkRegistry.Item(ImportMode.CREATE, deviceId, null, null, null, DeviceRequest.withKeys(deviceId, null, null), null,
                twin, null);
    }

    private List<BulkRegistry.ItemError> apply(List<BulkRegistry.Item> items) throws Exception {
        return bulk.apply(items).get(10, TimeUnit.SECONDS);
    }

    @Test
    void when_the_call_completes_every_device_it_created_is_in_the_store_with_its_twin() throws Exception {
        List<BulkRegistry.Item> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(create("dev" + i, new ServiceTwinWrite(json("{\"n\":" + i + "}"), null)));
        }

        assertThat(apply(items)).isEmpty();

        for (int i = 0; i < 100; i++) {
            var stored = store.loadDevice("dev" + i).orElseThrow();
            assertThat(stored.twin().tagsView().get("n").getAsInt()).isEqualTo(i);
        }
    }

    @Test
    void items_whose_commit_fails_are_reported_as_the_hubs_fault_and_leave_nothing_behind() throws Exception {
        store.failNext(1);

        List<BulkRegistry.ItemError> errors = apply(List.of(create("lost", null)));

        assertThat(errors).extracting(BulkRegistry.ItemError::code).containsExactly(HubErrorCode.SERVER_ERROR);
        assertThat(registry.get("lost")).isEmpty();
        assertThat(store.loadDevice("lost")).isEmpty();
    }

    @Test
    void an_update_whose_twin_breaks_a_rule_changes_neither_the_identity_nor_the_twin() throws Exception {
        DeviceIdentity before = registry.create(DeviceRequest.withKeys("dev1", null, null)).get();
        DeviceRequest disable = new DeviceRequest("dev1", DeviceStatus.DISABLED, null, null, false, null, null);
        ServiceTwinWrite forbidden = new ServiceTwinWrite(json("{\"$bad\":1}"), null);

        List<BulkRegistry.ItemError> errors = apply(List.of(new BulkRegistry.Item(ImportMode.UPDATE, "dev1", null, null, null,
                disable, null, forbidden, null)));

        assertThat(errors).extracting(BulkRegistry.ItemError::code).containsExactly(HubErrorCode.ARGUMENT_INVALID);
        assertThat(registry.require("dev1")).isEqualTo(before);
        assertThat(store.loadDevice("dev1").orElseThrow().identity()).isEqualTo(before);
        assertThat(notified).isEmpty();
    }

    @Test
    void an_update_with_desired_properties_notifies_the_device_after_the_commit() throws Exception {
        registry.create(DeviceRequest.withKeys("dev1", null, null)).get();
        ServiceTwinWrite desired = new ServiceTwinWrite(null, json("{\"interval\":30}"));

        assertThat(apply(List.of(new BulkRegistry.Item(ImportMode.UPDATE, "dev1", null, null, null,
                DeviceRequest.withKeys("dev1", null, null), null, desired, null)))).isEmpty();

        assertThat(notified).singleElement().asString().startsWith("dev1 ").contains("\"interval\":30");
        assertThat(store.loadDevice("dev1").orElseThrow().twin().servicePropertiesView().toString())
                .contains("\"interval\":30");
    }

    @Test
    void a_later_item_sees_what_an_earlier_one_made() throws Exception {
        DeviceRequest edge = new DeviceRequest("edge", DeviceStatus.ENABLED, null, null, true, null, null);
        List<BulkRegistry.ItemError> first = apply(List.of(new BulkRegistry.Item(ImportMode.CREATE, "edge", null, null, null,
                edge, null, null, null)));
        String scope = registry.require("edge").deviceScope();
        DeviceRequest child = new DeviceRequest("child", DeviceStatus.ENABLED, null, null, false, scope, null);
        DeviceRequest grandChild = new DeviceRequest("edge2", DeviceStatus.ENABLED, null, null, true, null,
                List.of(scope));

        List<BulkRegistry.ItemError> second = apply(List.of(
                new BulkRegistry.Item(ImportMode.CREATE, "child", null, null, null, child, null, null, null),
                new BulkRegistry.Item(ImportMode.DELETE, "edge", null, null, null, null, null, null, null),
                new BulkRegistry.Item(ImportMode.CREATE, "edge2", null, null, null, grandChild, null, null, null)));

        assertThat(first).isEmpty();
        assertThat(registry.require("child").parentScopes()).containsExactly(scope);
        assertThat(second).extracting(BulkRegistry.ItemError::deviceId).containsExactly("edge2");
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }
}
