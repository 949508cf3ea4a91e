package lab.devicetwins.localhub.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import lab.devicetwins.localhub.jobs.DeviceJobResult;
import lab.devicetwins.localhub.jobs.Job;
import lab.devicetwins.localhub.messaging.CloudToDeviceMessage;

/**
 * A real store that fails its next commits on demand, the way a full disk or a broken file would: the batch is
 * refused whole and nothing of it is stored. For the hub's failed-commit paths.
 */
public final class FailingHubStore implements HubStore {
    private final HubStore store;
    private final AtomicInteger failuresLeft = new AtomicInteger();

    public FailingHubStore(HubStore store) {
        this.store = store;
    }

    /** The next {@code commits} batches fail. */
    public void failNext(int commits) {
        failuresLeft.set(commits);
    }

    @Override
    public boolean isNew() {
        return store.isNew();
    }

    @Override
    public List<StoredDevice> loadDevices() {
        return store.loadDevices();
    }

    @Override
    public Optional<StoredDevice> loadDevice(String deviceId) {
        return store.loadDevice(deviceId);
    }

    @Override
    public List<StoredDevice> loadModules(String deviceId) {
        return store.loadModules(deviceId);
    }

    @Override
    public Map<String, Map<String, Integer>> loadSessions() {
        return store.loadSessions();
    }

    @Override
    public Optional<Map<String, Integer>> loadSession(String clientId) {
        return store.loadSession(clientId);
    }

    @Override
    public List<CloudToDeviceMessage> loadCloudToDeviceMessages() {
        return store.loadCloudToDeviceMessages();
    }

    @Override
    public List<Job> loadJobs() {
        return store.loadJobs();
    }

    @Override
    public List<DeviceJobResult> loadJobResults() {
        return store.loadJobResults();
    }

    @Override
    public void apply(List<StoreOp> ops) {
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreException("disk full (a failure asked for by the test)", null);
        }
        store.apply(ops);
    }

    @Override
    public void close() {
        store.close();
    }
}
