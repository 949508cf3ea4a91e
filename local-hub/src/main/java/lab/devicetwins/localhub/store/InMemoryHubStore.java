package lab.devicetwins.localhub.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import lab.devicetwins.localhub.jobs.DeviceJobResult;
import lab.devicetwins.localhub.jobs.Job;
import lab.devicetwins.localhub.messaging.CloudToDeviceMessage;
import lab.devicetwins.localhub.registry.IdentityKey;

/**
 * A store that keeps nothing past the hub's life: plain maps, changed under one lock so a batch is applied whole.
 * Identities and twins are immutable values, so they are kept as they are, without serialising them.
 */
public final class InMemoryHubStore implements HubStore {
    private final NavigableMap<String, StoredDevice> devices = new TreeMap<>();
    private final NavigableMap<String, Map<String, Integer>> sessions = new TreeMap<>();
    /** Queued cloud-to-device messages by device id, then sequence number. */
    private final NavigableMap<String, NavigableMap<Long, CloudToDeviceMessage>> messages = new TreeMap<>();
    private final NavigableMap<String, Job> jobs = new TreeMap<>();
    /** By job id, then device id. */
    private final NavigableMap<String, NavigableMap<String, DeviceJobResult>> jobResults = new TreeMap<>();

    @Override
    public boolean isNew() {
        return true;
    }

    @Override
    public synchronized List<StoredDevice> loadDevices() {
        return List.copyOf(devices.values());
    }

    @Override
    public synchronized Optional<StoredDevice> loadDevice(String key) {
        return Optional.ofNullable(devices.get(key));
    }

    @Override
    public synchronized List<StoredDevice> loadModules(String deviceId) {
        return List.copyOf(modulesOf(devices, deviceId).values());
    }

    private static <V> NavigableMap<String, V> modulesOf(NavigableMap<String, V> byKey, String deviceId) {
        return byKey.subMap(IdentityKey.firstModuleOf(deviceId), true, IdentityKey.pastModulesOf(deviceId), false);
    }

    @Override
    public synchronized Map<String, Map<String, Integer>> loadSessions() {
        return Map.copyOf(sessions);
    }

    @Override
    public synchronized Optional<Map<String, Integer>> loadSession(String clientId) {
        return Optional.ofNullable(sessions.get(clientId));
    }

    @Override
    public synchronized List<CloudToDeviceMessage> loadCloudToDeviceMessages() {
        return messages.values().stream().flatMap(queue -> queue.values().stream()).toList();
    }

    @Override
    public synchronized List<Job> loadJobs() {
        return List.copyOf(jobs.values());
    }

    @Override
    public synchronized List<DeviceJobResult> loadJobResults() {
        List<DeviceJobResult> results = new ArrayList<>();
        jobResults.values().forEach(byDevice -> results.addAll(byDevice.values()));
        return results;
    }

    /** Applies every op or, when one is invalid, none: the ops are checked before anything changes. */
    @Override
    public synchronized void apply(List<StoreOp> ops) {
        if (ops.stream().anyMatch(Objects::isNull)) {
            throw new StoreException("a batch holds no null ops", null);
        }
        for (StoreOp op : ops) {
            if (op instanceof StoreOp.SaveDevice save) {
                devices.put(save.key(), new StoredDevice(save.identity(), save.twin()));
            } else if (op instanceof StoreOp.SaveTwin save) {
                devices.computeIfPresent(save.key(), (id, stored) -> new StoredDevice(stored.identity(), save.twin()));
            } else if (op instanceof StoreOp.DeleteDevice delete) {
                devices.remove(delete.key());
                sessions.remove(delete.key());
                messages.remove(delete.key());
                if (!IdentityKey.isModule(delete.key())) {
                    modulesOf(devices, delete.key()).clear();
                    modulesOf(sessions, delete.key()).clear();
                }
            } else if (op instanceof StoreOp.SaveSession save) {
                sessions.put(save.clientId(), save.subscriptions());
            } else if (op instanceof StoreOp.DeleteSession delete) {
                sessions.remove(delete.clientId());
            } else if (op instanceof StoreOp.SaveCloudToDeviceMessage save) {
                // the delivery count is not kept, as SQLite does not keep it
                CloudToDeviceMessage m = save.message();
                messages.computeIfAbsent(m.deviceId(), id -> new TreeMap<>()).put(m.sequenceNumber(),
                        new CloudToDeviceMessage(m.deviceId(), m.sequenceNumber(), m.messageId(), m.correlationId(),
                                m.contentType(), m.contentEncoding(), m.ack(), m.properties(), m.body(),
                                m.enqueuedTime(), m.expiry(), 0));
            } else if (op instanceof StoreOp.DeleteCloudToDeviceMessage delete) {
                NavigableMap<Long, CloudToDeviceMessage> queue = messages.get(delete.deviceId());
                if (queue != null) {
                    queue.remove(delete.sequenceNumber());
                    if (queue.isEmpty()) {
                        messages.remove(delete.deviceId());
                    }
                }
            } else if (op instanceof StoreOp.SaveJob save) {
                jobs.put(save.job().jobId(), save.job());
            } else if (op instanceof StoreOp.SaveJobResult save) {
                jobResults.computeIfAbsent(save.result().jobId(), id -> new TreeMap<>())
                        .put(save.result().deviceId(), save.result());
            }
        }
    }

    @Override
    public void close() {
        // nothing to release
    }
}
