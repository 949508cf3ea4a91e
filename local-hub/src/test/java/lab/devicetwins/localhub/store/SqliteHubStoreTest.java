package lab.devicetwins.localhub.store;

import static lab.devicetwins.localhub.store.StoreFixtures.identity;
import static lab.devicetwins.localhub.store.StoreFixtures.twin;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteHubStoreTest extends HubStoreContract {
    @TempDir
    Path dataDirectory;

    @Override
    HubStore open() {
        return SqliteHubStore.open(dataDirectory);
    }

    @Test
    void what_was_committed_is_there_after_reopening_and_the_store_is_no_longer_new() {
        store.apply(List.of(new StoreOp.SaveDevice(identity("dev1"), twin()),
                new StoreOp.SaveSession("dev1", Map.of("$iothub/twin/PATCH/properties/desired/#", 1))));
        store.close();

        store = open();

        assertThat(store.isNew()).isFalse();
        assertThat(store.loadDevice("dev1").orElseThrow().identity()).isEqualTo(identity("dev1"));
        assertThat(store.loadDevice("dev1").orElseThrow().twin()).isEqualTo(twin());
        assertThat(store.loadSession("dev1")).contains(Map.of("$iothub/twin/PATCH/properties/desired/#", 1));
    }

    /**
     * Databases written before the store had a format of its own hold the REST forms of devices and twins; the hub
     * reads them unchanged.
     */
    @Test
    void rows_in_the_earlier_rest_shaped_form_read_back() throws Exception {
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve("hub.db"));
             PreparedStatement device = c.prepareStatement("INSERT INTO devices (device_id, doc) VALUES (?, ?)");
             PreparedStatement twinRow = c.prepareStatement("INSERT INTO twins (device_id, doc) VALUES (?, ?)")) {
            device.setString(1, "old");
            device.setString(2, """
                    {"deviceId":"old","generationId":"638000000000000000","etag":"MTc2NDU4","connectionState":"Disconnected",
                     "status":"enabled","statusReason":null,"connectionStateUpdatedTime":"0001-01-01T00:00:00Z",
                     "statusUpdatedTime":"2026-11-20T08:00:00.0000000Z","lastActivityTime":"0001-01-01T00:00:00Z",
                     "cloudToDeviceMessageCount":0,"authentication":{"symmetricKey":{"primaryKey":"AAAAAAAAAAAAAAAAAAAAAA==",
                     "secondaryKey":"BBBBBBBBBBBBBBBBBBBBBB=="},"x509Thumbprint":{"primaryThumbprint":null,
                     "secondaryThumbprint":null},"type":"sas"},"capabilities":{"iotEdge":false}}""");
            device.executeUpdate();
            twinRow.setString(1, "old");
            twinRow.setString(2, """
                    {"deviceId":"old","etag":"AAAAAAAAAAI=","deviceEtag":"MTc2NDU4","status":"enabled",
                     "statusUpdateTime":"2026-11-20T08:00:00.0000000Z","connectionState":"Disconnected",
                     "lastActivityTime":"0001-01-01T00:00:00Z","cloudToDeviceMessageCount":0,"authenticationType":"sas",
                     "x509Thumbprint":{"primaryThumbprint":null,"secondaryThumbprint":null},"modelId":"","version":2,
                     "capabilities":{"iotEdge":false},"tags":{"plant":"Redmond43"},
                     "properties":{"desired":{"$metadata":{"$lastUpdated":"2026-11-20T08:00:00.0000000Z"},"$version":1},
                     "reported":{"$metadata":{"$lastUpdated":"2026-11-20T08:00:00.0000000Z"},"$version":1}}}""");
            twinRow.executeUpdate();
        }

        store = open();

        StoredDevice old = store.loadDevice("old").orElseThrow();
        assertThat(old.identity().status()).isEqualTo(DeviceStatus.ENABLED);
        assertThat(old.identity().etag()).isEqualTo("MTc2NDU4");
        assertThat(old.identity().lastActivityTime()).isEqualTo(DeviceIdentity.NEVER);
        assertThat(old.twin().version()).isEqualTo(2);
        assertThat(old.twin().tags()).isEqualTo(StoreFixtures.json("{\"plant\":\"Redmond43\"}"));
    }

    /** A database of a hub from before jobs has no job tables: opening it adds them and keeps what it holds. */
    @Test
    void a_database_without_job_tables_gains_them_and_keeps_its_devices() throws Exception {
        store.apply(List.of(new StoreOp.SaveDevice(identity("dev1"), twin())));
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve("hub.db"));
             java.sql.Statement s = c.createStatement()) {
            s.execute("DROP TABLE jobs");
            s.execute("DROP TABLE job_results");
        }

        store = open();
        store.apply(List.of(new StoreOp.SaveJobResult(lab.devicetwins.localhub.jobs.DeviceJobResult.cancelled("j",
                "dev1", StoreFixtures.T0, StoreFixtures.T0))));

        assertThat(store.loadDevice("dev1")).isPresent();
        assertThat(store.loadJobs()).isEmpty();
        assertThat(store.loadJobResults()).hasSize(1);
    }
}
