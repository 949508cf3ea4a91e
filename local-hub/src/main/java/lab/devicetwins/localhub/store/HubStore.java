package lab.devicetwins.localhub.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.devicetwins.localhub.jobs.DeviceJobResult;
import lab.devicetwins.localhub.jobs.Job;
import lab.devicetwins.localhub.messaging.CloudToDeviceMessage;

/**
 * What the hub keeps between runs: device and module identities with their twins, the subscriptions of persistent MQTT
 * sessions, the devices' queues of cloud-to-device messages, and jobs with the results of their devices. The hub holds
 * all of it in memory while it runs and reads the store only at start and after a failed commit; every change reaches
 * the store through {@link #apply(List)} from a single writer ({@link StoreWriter}).
 *
 * <p>Implementations: {@link SqliteHubStore} (a file that survives restarts and {@code kill -9}) and
 * {@link InMemoryHubStore} (plain Java structures, gone when the hub stops). Both pass the same contract tests.
 */
public interface HubStore extends AutoCloseable {

    /** True when this store was created empty by this open: the hub seeds its defaults then, and only then. */
    boolean isNew();

    /** Every stored identity, devices and modules, in ascending {@link lab.devicetwins.localhub.registry.IdentityKey key} order. */
    List<StoredDevice> loadDevices();

    /** One stored identity (device or module, by key), as last committed. */
    Optional<StoredDevice> loadDevice(String key);

    /** The stored modules of a device, in ascending key order. */
    List<StoredDevice> loadModules(String deviceId);

    /** The subscriptions (topic filter to granted QoS) of every persistent MQTT session, by client id. */
    Map<String, Map<String, Integer>> loadSessions();

    /** One persistent session's subscriptions, as last committed; empty when the client id has none. */
    Optional<Map<String, Integer>> loadSession(String clientId);

    /** Every queued cloud-to-device message, by device and then sequence number. */
    List<CloudToDeviceMessage> loadCloudToDeviceMessages();
    /** Every stored job, in ascending job id order. */
    List<Job> loadJobs();

    /** The stored device results of every job, ordered by job id, then device id. */
    List<DeviceJobResult> loadJobResults();

    /**
     * Applies the ops, in order, as one transaction: afterwards either all of them are stored or none is.
     *
     * @throws StoreException when the transaction fails; nothing of it is stored
     */
    void apply(List<StoreOp> ops);

    @Override
    void close();
}
