package lab.devicetwins.localhub.core;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.registry.ConnectionState;
import lab.devicetwins.localhub.registry.DeviceJson;
import lab.devicetwins.localhub.store.SqliteHubStore;
import lab.devicetwins.localhub.store.StoreOp;
import lab.devicetwins.localhub.store.StoreWriter;
import lab.devicetwins.localhub.store.StoredDevice;
import lab.devicetwins.localhub.twin.TwinLimits;

/**
 * Every device of the hub, live in memory and persisted through the {@link StoreWriter}. Twin and registry reads are
 * served from memory (no database round trip); every change is queued for the database under the device's lock and
 * acknowledged once committed.
 */
public final class DeviceDirectory implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeviceDirectory.class.getName());

    private final Map<String, DeviceEntry> devices = new ConcurrentHashMap<>();
    private final SqliteHubStore store;
    private final StoreWriter writer;
    private final Clock clock;
    private final TwinLimits limits;

    public DeviceDirectory(SqliteHubStore store, Clock clock, TwinLimits limits) {
        this.store = store;
        this.clock = clock;
        this.limits = limits;
        this.writer = new StoreWriter(store, this::reloadAfterFailedCommit);
        for (StoredDevice stored : store.loadDevices()) {
            devices.put(stored.deviceId(), entryOf(stored));
        }
        disconnectAll();
    }

    /**
     * A hub that starts has no connections, but a hub that was killed never recorded its devices leaving: mark them
     * disconnected, in the database too, so twins and queries do not report a connection that is gone.
     */
    private void disconnectAll() {
        for (DeviceEntry entry : devices.values()) {
            synchronized (entry) {
                if (entry.identity().connectionState() == ConnectionState.CONNECTED) {
                    entry.set(entry.identity().withConnection(ConnectionState.DISCONNECTED, clock.instant()), entry.twin());
                    save(entry);
                }
            }
        }
    }

    private DeviceEntry entryOf(StoredDevice stored) {
        JsonObject view = JsonParser.parseString(stored.twinJson()).getAsJsonObject();
        return new DeviceEntry(DeviceJson.fromStoredJson(JsonParser.parseString(stored.identityJson()).getAsJsonObject()),
                TwinView.twinOf(view, limits));
    }

    public Clock clock() {
        return clock;
    }

    public TwinLimits limits() {
        return limits;
    }

    public SqliteHubStore store() {
        return store;
    }

    Optional<DeviceEntry> find(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    DeviceEntry require(String deviceId) {
        DeviceEntry entry = devices.get(deviceId);
        if (entry == null) {
            throw new HubException(HubErrorCode.DEVICE_NOT_FOUND, "device '" + deviceId + "' is not registered on this hub");
        }
        return entry;
    }

    Collection<DeviceEntry> all() {
        return devices.values();
    }

    /** Adds a device unless one with that id exists; returns false when it does. Call with the new entry's lock held. */
    boolean addIfAbsent(String deviceId, DeviceEntry entry) {
        return devices.putIfAbsent(deviceId, entry) == null;
    }

    void remove(String deviceId, DeviceEntry entry) {
        devices.remove(deviceId, entry);
    }

    /** Queues the entry's current state; call while holding the entry's monitor so saves keep the change order. */
    CompletableFuture<Void> save(DeviceEntry entry) {
        var identity = entry.identity();
        return writer.submit(new StoreOp.SaveDevice(identity.deviceId(), DeviceJson.toJson(identity).toString(),
                TwinView.of(identity, entry.twin()).toString()));
    }

    CompletableFuture<Void> delete(String deviceId) {
        return writer.submit(new StoreOp.DeleteDevice(deviceId));
    }

    /** For state other than devices (MQTT sessions) that shares the database and its commit order. */
    public CompletableFuture<Void> submit(StoreOp op) {
        return writer.submit(op);
    }

    private void reloadAfterFailedCommit(List<StoreOp> ops) {
        LOG.log(Level.SEVERE, "a database commit failed; reloading the devices it touched from the database");
        Map<String, StoredDevice> persisted = new ConcurrentHashMap<>();
        for (StoredDevice stored : store.loadDevices()) {
            persisted.put(stored.deviceId(), stored);
        }
        for (StoreOp op : ops) {
            String id = op instanceof StoreOp.SaveDevice d ? d.deviceId()
                    : op instanceof StoreOp.DeleteDevice d ? d.deviceId() : null;
            if (id == null) {
                continue;
            }
            StoredDevice stored = persisted.get(id);
            if (stored == null) {
                devices.remove(id);
            } else {
                devices.put(id, entryOf(stored));
            }
        }
    }

    @Override
    public void close() {
        writer.close();
    }
}
