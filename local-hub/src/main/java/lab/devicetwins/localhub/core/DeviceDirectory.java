package lab.devicetwins.localhub.core;

import java.time.Clock;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.messaging.CloudToDeviceMessage;
import lab.devicetwins.localhub.query.EqualityLookup;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.ConnectionState;
import lab.devicetwins.localhub.jobs.DeviceJobResult;
import lab.devicetwins.localhub.jobs.Job;
import lab.devicetwins.localhub.registry.IdentityKey;
import lab.devicetwins.localhub.store.HubStore;
import lab.devicetwins.localhub.store.StoreOp;
import lab.devicetwins.localhub.store.StoreWriter;
import lab.devicetwins.localhub.store.StoredDevice;
import lab.devicetwins.localhub.twin.TwinDocument;
import lab.devicetwins.localhub.twin.TwinLimits;

/**
 * Every identity of the hub, devices and modules, live in memory and persisted through a {@link StoreWriter}. Devices
 * and modules are kept apart (queries read {@code devices} or {@code devices.modules}), each in {@link IdentityKey}
 * order, each with its own twin indexes. Twin and registry reads are served from memory; every change is queued for
 * the store under the entry's lock and acknowledged once committed. When a commit fails, the identities and sessions
 * it touched are put back to what the store holds, under the same locks the writers take.
 */
public final class DeviceDirectory implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeviceDirectory.class.getName());

    private final NavigableMap<String, DeviceEntry> devices = new ConcurrentSkipListMap<>();
    private final NavigableMap<String, DeviceEntry> modules = new ConcurrentSkipListMap<>();
    private final TwinIndexes deviceIndexes = new TwinIndexes();
    private final TwinIndexes moduleIndexes = new TwinIndexes();
    private final HubStore store;
    private final StoreWriter writer;
    private final Clock clock;
    private final TwinLimits limits;
    private final TwinChangeFeed changes;
    private volatile Consumer<String> sessionRestorer = clientId -> { };

    public DeviceDirectory(HubStore store, Clock clock, TwinLimits limits) {
        this.store = store;
        this.clock = clock;
        this.limits = limits;
        this.changes = new TwinChangeFeed(clock);
        for (StoredDevice stored : store.loadDevices()) {
            (stored.identity().isModule() ? modules : devices).put(stored.key(), entryOf(stored));
        }
        this.writer = new StoreWriter(store, this::restoreAfterFailedCommit);
        disconnectAll();
    }

    /**
     * A hub that starts has no connections, but a hub that was killed never recorded its devices leaving: mark them
     * disconnected, in the store too, so twins and queries do not report a connection that is gone.
     */
    private void disconnectAll() {
        for (DeviceEntry entry : everyIdentity()) {
            synchronized (entry) {
                if (entry.identity().connectionState() == ConnectionState.CONNECTED) {
                    entry.setIdentity(entry.identity().withConnection(ConnectionState.DISCONNECTED, clock.instant()));
                    save(entry);
                }
            }
        }
    }

    private DeviceEntry entryOf(StoredDevice stored) {
        TwinDocument twin = stored.twin();
        return new DeviceEntry(stored.identity(), twin.limits().equals(limits) ? twin : twin.withLimits(limits));
    }

    public Clock clock() {
        return clock;
    }

    public TwinLimits limits() {
        return limits;
    }

    /** Committed changes of identities and twins, for watchers such as the inspector. */
    public TwinChangeFeed changes() {
        return changes;
    }

    /** True when the store was created empty by this start. */
    public boolean isNew() {
        return store.isNew();
    }

    private NavigableMap<String, DeviceEntry> table(String key) {
        return IdentityKey.isModule(key) ? modules : devices;
    }

    private TwinIndexes indexes(String key) {
        return IdentityKey.isModule(key) ? moduleIndexes : deviceIndexes;
    }

    /** The device or module with this {@link IdentityKey key}. */
    Optional<DeviceEntry> find(String key) {
        return Optional.ofNullable(table(key).get(key));
    }

    /** The device or module with this key; 404 DeviceNotFound, or ModuleNotFound when only the module is missing. */
    DeviceEntry require(String key) {
        DeviceEntry entry = table(key).get(key);
        if (entry == null) {
            throw notFound(key);
        }
        return entry;
    }

    /** IoT Hub's answer for an identity that is not there: the device's absence is named before the module's. */
    HubException notFound(String key) {
        String deviceId = IdentityKey.deviceId(key);
        if (!IdentityKey.isModule(key) || !devices.containsKey(deviceId)) {
            return new HubException(HubErrorCode.DEVICE_NOT_FOUND, "device '" + deviceId
                    + "' is not registered on this hub");
        }
        return new HubException(HubErrorCode.MODULE_NOT_FOUND, IdentityKey.describe(key)
                + " is not registered on this hub");
    }

    /** Every device, in ascending id order; a live view. */
    Collection<DeviceEntry> all() {
        return devices.values();
    }

    /** Every device and every module. */
    Iterable<DeviceEntry> everyIdentity() {
        return () -> Stream.concat(devices.values().stream(), modules.values().stream()).iterator();
    }

    /** Every module, in ascending key order; a live view. */
    Collection<DeviceEntry> allModules() {
        return modules.values();
    }

    /** The modules of a device, in ascending key (so module id) order; a live view. */
    Collection<DeviceEntry> modulesOf(String deviceId) {
        return modules.subMap(IdentityKey.firstModuleOf(deviceId), true, IdentityKey.pastModulesOf(deviceId), false)
                .values();
    }

    /**
     * The devices (or, with {@code ofModules}, the modules) whose key sorts after {@code lastKey} (all when null), in
     * ascending key order; a live view.
     */
    Collection<DeviceEntry> after(String lastKey, boolean ofModules) {
        NavigableMap<String, DeviceEntry> table = ofModules ? modules : devices;
        return lastKey == null ? table.values() : table.tailMap(lastKey, false).values();
    }

    /** Adds an identity unless one with that key exists; returns false when it does. Call with the new entry's lock held. */
    boolean addIfAbsent(String key, DeviceEntry entry) {
        if (table(key).putIfAbsent(key, entry) != null) {
            return false;
        }
        indexes(key).changed(key, entry.twin());
        return true;
    }

    /** Call with the entry's lock held. */
    void remove(String key, DeviceEntry entry) {
        if (table(key).remove(key, entry)) {
            indexes(key).removed(key);
        }
    }

    /** How many twin paths of devices have an equality index now (at most {@link TwinIndexes#MAX_INDEXES}). */
    int indexedPaths() {
        return deviceIndexes.size();
    }

    /** Changes an identity's record and twin; call with the entry's lock held, before the change is saved. */
    void update(DeviceEntry entry, DeviceIdentity identity, TwinDocument twin) {
        TwinDocument before = entry.twin();
        entry.set(identity, twin);
        if (twin != before) {
            indexes(identity.key()).changed(identity.key(), twin);
        }
    }

    /**
     * The devices (or modules) after {@code lastKey} (all when null), in ascending key order, whose twin may have the
     * lookup's value: the entries of an index on its path, built on first use. A live view; entries removed since
     * are skipped.
     */
    Iterable<DeviceEntry> matching(EqualityLookup lookup, String lastKey, boolean ofModules) {
        NavigableMap<String, DeviceEntry> table = ofModules ? modules : devices;
        NavigableSet<String> ids = (ofModules ? moduleIndexes : deviceIndexes).lookup(lookup, table::values);
        NavigableSet<String> after = lastKey == null ? ids : ids.tailSet(lastKey, false);
        return () -> new Iterator<>() {
            private final Iterator<String> next = after.iterator();
            private DeviceEntry found = advance();

            private DeviceEntry advance() {
                while (next.hasNext()) {
                    DeviceEntry entry = table.get(next.next());
                    if (entry != null) {
                        return entry;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return found != null;
            }

            @Override
            public DeviceEntry next() {
                if (found == null) {
                    throw new NoSuchElementException();
                }
                DeviceEntry entry = found;
                found = advance();
                return entry;
            }
        };
    }

    /** Queues the entry's current state; call while holding the entry's monitor so saves keep the change order. */
    CompletableFuture<Void> save(DeviceEntry entry) {
        return writer.submit(new StoreOp.SaveDevice(entry.identity(), entry.twin()));
    }

    /** Queues the entry's twin only (its record is unchanged, or changed only in activity); call holding its monitor. */
    CompletableFuture<Void> saveTwin(DeviceEntry entry) {
        return writer.submit(new StoreOp.SaveTwin(entry.identity().key(), entry.twin()));
    }

    /** Deletes an identity from the store; a device's modules go with it (remove them from memory first). */
    CompletableFuture<Void> delete(String key) {
        return writer.submit(new StoreOp.DeleteDevice(key));
    }

    /** The subscriptions of every persistent MQTT session, as stored. */
    public Map<String, Map<String, Integer>> storedSessions() {
        return store.loadSessions();
    }

    /** Persists a session's subscriptions (topic filter to QoS), in the same commit order as device changes. */
    public CompletableFuture<Void> saveSession(String clientId, Map<String, Integer> subscriptions) {
        return writer.submit(new StoreOp.SaveSession(clientId, subscriptions));
    }

    public CompletableFuture<Void> deleteSession(String clientId) {
        return writer.submit(new StoreOp.DeleteSession(clientId));
    }

    /** Every queued cloud-to-device message, as stored. */
    public List<CloudToDeviceMessage> storedCloudToDeviceMessages() {
        return store.loadCloudToDeviceMessages();
    }

    /** Persists a queued cloud-to-device message, in the same commit order as device changes. */
    public CompletableFuture<Void> saveCloudToDeviceMessage(CloudToDeviceMessage message) {
        return writer.submit(new StoreOp.SaveCloudToDeviceMessage(message));
    }

    public CompletableFuture<Void> deleteCloudToDeviceMessage(String deviceId, long sequenceNumber) {
        return writer.submit(new StoreOp.DeleteCloudToDeviceMessage(deviceId, sequenceNumber));
    }

    /** Persists a job, in the same commit order as every other change. */
    public CompletableFuture<Void> saveJob(Job job) {
        return writer.submit(new StoreOp.SaveJob(job));
    }

    /** Persists one device's result in a job. */
    public CompletableFuture<Void> saveJobResult(DeviceJobResult result) {
        return writer.submit(new StoreOp.SaveJobResult(result));
    }

    /** Every job as stored, in job id order. */
    public List<Job> storedJobs() {
        return store.loadJobs();
    }

    /** Every device result of every job, as stored. */
    public List<DeviceJobResult> storedJobResults() {
        return store.loadJobResults();
    }

    /** A session's subscriptions as last committed. */
    public Optional<Map<String, Integer>> storedSession(String clientId) {
        return store.loadSession(clientId);
    }

    /**
     * Who puts a session back to {@link #storedSession(String)} when a commit that changed it failed (the MQTT side
     * keeps sessions in memory).
     */
    public void setSessionRestorer(Consumer<String> restorer) {
        this.sessionRestorer = restorer;
    }

    private void restoreAfterFailedCommit(List<StoreOp> ops) {
        Set<String> deviceIds = new LinkedHashSet<>();
        Set<String> clientIds = new LinkedHashSet<>();
        for (StoreOp op : ops) {
            if (op instanceof StoreOp.SaveDevice save) {
                deviceIds.add(save.key());
            } else if (op instanceof StoreOp.SaveTwin save) {
                deviceIds.add(save.key());
            } else if (op instanceof StoreOp.DeleteDevice delete) {
                deviceIds.add(delete.key());
                clientIds.add(delete.key());
                if (!IdentityKey.isModule(delete.key())) {
                    // the modules that went with the device: as the store holds them
                    for (StoredDevice module : store.loadModules(delete.key())) {
                        deviceIds.add(module.key());
                        clientIds.add(module.key());
                    }
                }
            } else if (op instanceof StoreOp.SaveSession save) {
                clientIds.add(save.clientId());
            } else if (op instanceof StoreOp.DeleteSession delete) {
                clientIds.add(delete.clientId());
            }
        }
        LOG.log(Level.SEVERE, "a commit failed; restoring " + deviceIds.size() + " devices and " + clientIds.size()
                + " sessions to what the store holds");
        deviceIds.forEach(this::restoreDevice);
        clientIds.forEach(clientId -> sessionRestorer.accept(clientId));
    }

    private void restoreDevice(String deviceId) {
        Optional<StoredDevice> stored = store.loadDevice(deviceId);
        DeviceEntry current = table(deviceId).get(deviceId);
        if (current != null) {
            synchronized (current) {
                if (!current.removed()) {
                    if (stored.isPresent()) {
                        DeviceEntry restored = entryOf(stored.get());
                        update(current, restored.identity(), restored.twin());
                    } else {
                        current.markRemoved();
                        remove(deviceId, current);
                    }
                    return;
                }
            }
        }
        // gone from memory (a delete whose commit failed): bring back what the store still holds
        stored.ifPresent(s -> {
            DeviceEntry restored = entryOf(s);
            synchronized (restored) {
                addIfAbsent(deviceId, restored);
            }
        });
    }

    @Override
    public void close() {
        writer.close();
    }
}
