package lab.devicetwins.localhub.store;

import static lab.devicetwins.localhub.store.StoreFixtures.identity;
import static lab.devicetwins.localhub.store.StoreFixtures.twin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.devicetwins.localhub.jobs.DeviceJobResult;
import lab.devicetwins.localhub.jobs.Job;
import lab.devicetwins.localhub.jobs.JobAction;
import lab.devicetwins.localhub.jobs.JobType;
import lab.devicetwins.localhub.messaging.CloudToDeviceMessage;
import lab.devicetwins.localhub.registry.Authentication;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.twin.TwinDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link HubStore} does; each implementation's test extends this. */
abstract class HubStoreContract {
    HubStore store;

    abstract HubStore open();

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void a_new_store_is_new_and_empty() {
        assertThat(store.isNew()).isTrue();
        assertThat(store.loadDevices()).isEmpty();
        assertThat(store.loadSessions()).isEmpty();
        assertThat(store.loadDevice("dev1")).isEmpty();
        assertThat(store.loadSession("dev1")).isEmpty();
    }

    @Test
    void a_saved_device_reads_back_with_every_field_of_its_identity_and_twin() {
        TwinDocument twin = twin();
        store.apply(List.of(new StoreOp.SaveDevice(identity("dev1"), twin)));

        StoredDevice stored = store.loadDevice("dev1").orElseThrow();
        assertThat(stored.identity()).isEqualTo(identity("dev1"));
        assertThat(stored.twin()).isEqualTo(twin);
        assertThat(stored.twin().etag()).isEqualTo(twin.etag());
        assertThat(stored.twin().toStoredJson()).isEqualTo(twin.toStoredJson());
        assertThat(store.loadDevices()).containsExactly(stored);
    }

    @Test
    void every_authentication_type_and_a_parent_scope_read_back_as_saved() {
        List<Authentication> kinds = List.of(new Authentication.SelfSigned("ab".repeat(20), null),
                new Authentication.SelfSigned("AB".repeat(32), "0".repeat(40)), new Authentication.CertificateAuthority(),
                new Authentication.None());
        List<DeviceIdentity> saved = new java.util.ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            DeviceIdentity base = identity("kind" + i);
            saved.add(new DeviceIdentity(base.deviceId(), base.generationId(), base.etag(), base.status(),
                    base.statusReason(), base.statusUpdatedTime(), kinds.get(i), base.connectionState(),
                    base.connectionStateUpdatedTime(), base.lastActivityTime(), false,
                    "ms-azure-iot-edge://edge-1", List.of("ms-azure-iot-edge://edge-1"), null, null, null));
        }
        store.apply(saved.stream().<StoreOp>map(d -> new StoreOp.SaveDevice(d, twin())).toList());

        assertThat(store.loadDevices()).extracting(StoredDevice::identity).containsExactlyElementsOf(saved);
    }

    @Test
    void devices_load_in_ascending_id_order() {
        store.apply(List.of(new StoreOp.SaveDevice(identity("b"), twin()), new StoreOp.SaveDevice(identity("C"), twin()),
                new StoreOp.SaveDevice(identity("a"), twin())));

        assertThat(store.loadDevices()).extracting(StoredDevice::key).containsExactly("C", "a", "b");
    }

    @Test
    void a_saved_twin_replaces_the_twin_and_keeps_the_stored_record_and_an_absent_device_stays_absent() {
        DeviceIdentity identity = identity("dev1");
        store.apply(List.of(new StoreOp.SaveDevice(identity, twin())));
        TwinDocument later = twin().patchReported(StoreFixtures.json("{\"temp\":22}"), null,
                StoreFixtures.T0.plusSeconds(9)).after();

        store.apply(List.of(new StoreOp.SaveTwin("dev1", later), new StoreOp.SaveTwin("ghost", later)));

        assertThat(store.loadDevice("dev1").orElseThrow().twin()).isEqualTo(later);
        assertThat(store.loadDevice("dev1").orElseThrow().identity()).isEqualTo(identity);
        assertThat(store.loadDevice("ghost")).isEmpty();
        assertThat(store.loadDevices()).hasSize(1);
    }

    @Test
    void ops_of_a_batch_apply_in_order_so_the_last_change_of_a_device_wins() {
        TwinDocument later = twin().patchReported(StoreFixtures.json("{\"temp\":22}"), null,
                StoreFixtures.T0.plusSeconds(9)).after();
        store.apply(List.of(new StoreOp.SaveDevice(identity("dev1"), twin()),
                new StoreOp.SaveDevice(identity("dev1"), later),
                new StoreOp.SaveDevice(identity("dev2"), twin()),
                new StoreOp.DeleteDevice("dev2")));

        assertThat(store.loadDevice("dev1").orElseThrow().twin()).isEqualTo(later);
        assertThat(store.loadDevice("dev2")).isEmpty();
    }

    @Test
    void a_batch_that_fails_leaves_nothing_of_it_stored() {
        store.apply(List.of(new StoreOp.SaveDevice(identity("kept"), twin())));

        assertThatThrownBy(() -> store.apply(Arrays.asList(new StoreOp.SaveDevice(identity("dev1"), twin()),
                new StoreOp.DeleteDevice("kept"), null))).isInstanceOf(StoreException.class);

        assertThat(store.loadDevice("dev1")).isEmpty();
        assertThat(store.loadDevice("kept")).isPresent();
    }

    @Test
    void sessions_are_saved_replaced_and_deleted() {
        store.apply(List.of(new StoreOp.SaveSession("dev1", Map.of("$iothub/twin/res/#", 0)),
                new StoreOp.SaveSession("dev1", Map.of("$iothub/twin/res/#", 1, "$iothub/methods/POST/#", 0)),
                new StoreOp.SaveSession("dev2", Map.of())));

        assertThat(store.loadSession("dev1")).contains(Map.of("$iothub/twin/res/#", 1, "$iothub/methods/POST/#", 0));
        assertThat(store.loadSessions()).containsOnlyKeys("dev1", "dev2");

        store.apply(List.of(new StoreOp.DeleteSession("dev1")));
        assertThat(store.loadSession("dev1")).isEmpty();
        assertThat(store.loadSession("dev2")).contains(Map.of());
    }

    @Test
    void deleting_a_device_deletes_its_session() {
        store.apply(List.of(new StoreOp.SaveDevice(identity("dev1"), twin()),
                new StoreOp.SaveSession("dev1", Map.of("$iothub/twin/res/#", 1))));

        store.apply(List.of(new StoreOp.DeleteDevice("dev1")));

        assertThat(store.loadSession("dev1")).isEmpty();
    }

    private static CloudToDeviceMessage message(String deviceId, long sequenceNumber) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("z-first", "1");
        properties.put("a second", "ü & =");
        return new CloudToDeviceMessage(deviceId, sequenceNumber, "m-" + sequenceNumber, "c-1", "application/json",
                "utf-8", "full", properties, new byte[] {0, (byte) 0xFF, '{', 10}, StoreFixtures.T0,
                StoreFixtures.T0.plusSeconds(3600), 0);
    }

    @Test
    void cloud_to_device_messages_read_back_whole_in_device_and_sequence_order_and_deleted_ones_go() {
        store.apply(List.of(new StoreOp.SaveCloudToDeviceMessage(message("dev2", 1)),
                new StoreOp.SaveCloudToDeviceMessage(message("dev1", 10)),
                new StoreOp.SaveCloudToDeviceMessage(message("dev1", 2)),
                new StoreOp.SaveCloudToDeviceMessage(new CloudToDeviceMessage("dev1", 3, "m-3", null, null, null,
                        "none", Map.of(), new byte[0], StoreFixtures.T0, StoreFixtures.T0.plusSeconds(1), 0))));

        assertThat(store.loadCloudToDeviceMessages()).extracting(m -> m.deviceId() + "#" + m.sequenceNumber())
                .containsExactly("dev1#2", "dev1#3", "dev1#10", "dev2#1");
        assertThat(store.loadCloudToDeviceMessages().get(0)).isEqualTo(message("dev1", 2));
        assertThat(store.loadCloudToDeviceMessages().get(0).properties().keySet()).containsExactly("z-first", "a second");

        store.apply(List.of(new StoreOp.DeleteCloudToDeviceMessage("dev1", 2),
                new StoreOp.DeleteCloudToDeviceMessage("dev1", 99)));
        assertThat(store.loadCloudToDeviceMessages()).extracting(CloudToDeviceMessage::sequenceNumber)
                .containsExactly(3L, 10L, 1L);
    }

    @Test
    void deleting_a_device_deletes_its_queued_messages_and_no_other_device_s() {
        store.apply(List.of(new StoreOp.SaveDevice(identity("dev1"), twin()),
                new StoreOp.SaveCloudToDeviceMessage(message("dev1", 1)),
                new StoreOp.SaveCloudToDeviceMessage(message("dev10", 2))));

        store.apply(List.of(new StoreOp.DeleteDevice("dev1")));

        assertThat(store.loadCloudToDeviceMessages()).extracting(CloudToDeviceMessage::deviceId).containsExactly("dev10");
    }

    private static final Instant T1 = Instant.parse("2026-03-01T10:00:00.123456789Z");

    private static Job twinJob(String id) {
        JobAction update = new JobAction.TwinUpdate(StoreFixtures.json(
                "{\"etag\":\"*\",\"tags\":{\"floor\":1.50},\"properties\":{\"desired\":{\"on\":null}}}"),
                StoreFixtures.json("{\"floor\":1.50}"), StoreFixtures.json("{\"on\":null}"), "*");
        return Job.create(id, JobType.SCHEDULE_UPDATE_TWIN, update, "tags.floor = 1", T1.plusSeconds(5), 60, T1);
    }

    private static Job methodJob(String id) {
        JobAction call = new JobAction.MethodCall("reboot", JsonParser.parseString("{\"delay\":[1,2]}"), 30, 5);
        return Job.create(id, JobType.SCHEDULE_DEVICE_METHOD, call, "deviceId IN ['a']", T1, 120, T1);
    }

    @Test
    void a_new_store_has_no_jobs_and_no_job_results() {
        assertThat(store.loadJobs()).isEmpty();
        assertThat(store.loadJobResults()).isEmpty();
    }

    @Test
    void jobs_of_both_types_read_back_with_every_field_in_job_id_order() {
        Job method = methodJob("b-job").started(List.of("a", "c"), T1.plusSeconds(1));
        Job failed = twinJob("a-job").started(List.of(), T1.plusSeconds(5)).expired(T1.plusSeconds(65));

        store.apply(List.of(new StoreOp.SaveJob(method), new StoreOp.SaveJob(failed)));

        assertThat(store.loadJobs()).containsExactly(failed, method);
    }

    @Test
    void a_saved_job_replaces_the_job_of_the_same_id() {
        Job job = twinJob("job");
        store.apply(List.of(new StoreOp.SaveJob(job)));

        store.apply(List.of(new StoreOp.SaveJob(job.cancelled(T1.plusSeconds(1)))));

        assertThat(store.loadJobs()).containsExactly(job.cancelled(T1.plusSeconds(1)));
    }

    @Test
    void device_results_read_back_by_job_then_device_and_a_later_result_replaces_an_earlier_one() {
        DeviceJobResult answered = DeviceJobResult.answered("j2", "b", T1, T1.plusSeconds(1), 201,
                JsonParser.parseString("\"done\""));
        DeviceJobResult failed = DeviceJobResult.failed("j2", "a", T1, T1.plusSeconds(2), "DeviceNotOnline",
                "device 'a' is not online");
        DeviceJobResult first = DeviceJobResult.cancelled("j1", "z", T1, T1);
        DeviceJobResult replaced = DeviceJobResult.succeeded("j1", "z", T1, T1.plusSeconds(3));

        store.apply(List.of(new StoreOp.SaveJobResult(answered), new StoreOp.SaveJobResult(failed),
                new StoreOp.SaveJobResult(first)));
        store.apply(List.of(new StoreOp.SaveJobResult(replaced)));

        assertThat(store.loadJobResults()).containsExactly(replaced, failed, answered);
    }

    @Test
    void a_batch_with_jobs_that_fails_leaves_no_job_stored() {
        assertThatThrownBy(() -> store.apply(Arrays.asList(new StoreOp.SaveJob(twinJob("j")),
                new StoreOp.SaveJobResult(DeviceJobResult.cancelled("j", "a", T1, T1)), null)))
                .isInstanceOf(StoreException.class);

        assertThat(store.loadJobs()).isEmpty();
        assertThat(store.loadJobResults()).isEmpty();
    }
}
