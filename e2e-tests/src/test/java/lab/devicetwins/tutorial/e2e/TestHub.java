package lab.devicetwins.tutorial.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;

import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.tutorial.shared.TargetHub;

/**
 * The hub under test, and the devices the tests created on it. JUnit closes it (it sits in the root store) when
 * the test JVM's tests are done: the devices are deleted, then a hub started for the tests is stopped.
 */
public final class TestHub implements AutoCloseable {

    /**
     * How long the tests wait for a query to show a change. A local hub answers from live state (the first query
     * sees it). IoT Hub documents twin queries as eventually consistent without giving a bound; the tests allow
     * two minutes, far beyond the seconds it takes in practice, so a slow day does not fail the suite.
     */
    private static final Duration LOCAL_QUERY_CONSISTENCY = Duration.ofSeconds(20);
    private static final Duration REAL_QUERY_CONSISTENCY = Duration.ofMinutes(2);
    /**
     * Between two polls of a query. An S1 unit allows 20 queries a minute and each poll runs up to two: one poll every
     * six seconds stays within it even with a second test polling. A local hub does not throttle.
     */
    private static final Duration LOCAL_QUERY_POLL = Duration.ofMillis(100);
    private static final Duration REAL_QUERY_POLL = Duration.ofSeconds(6);
    /** Between two twin reads while waiting for the device app; twin reads allow far more per second than queries. */
    private static final Duration LOCAL_TWIN_POLL = Duration.ofMillis(100);
    private static final Duration REAL_TWIN_POLL = Duration.ofSeconds(1);

    private final TargetHub target;
    private final Runnable hubToStop;
    private final LocalHub embedded;
    private final Path dataDirectory;
    private final RegistryClient registry;
    private final List<String> createdDevices = new CopyOnWriteArrayList<>();

    /** @param hubToStop stops the hub the tests started, after their devices are deleted; null for a hub they found */
    TestHub(TargetHub target, Runnable hubToStop) {
        this(target, hubToStop, null);
    }

    /** @param embedded the hub the tests started in this JVM, which they may also operate directly */
    TestHub(TargetHub target, Runnable hubToStop, LocalHub embedded) {
        this(target, hubToStop, embedded, null);
    }

    /** @param dataDirectory the data directory of a local hub the tests started as a process, or null */
    TestHub(TargetHub target, Runnable hubToStop, LocalHub embedded, Path dataDirectory) {
        this.target = target;
        this.hubToStop = hubToStop;
        this.embedded = embedded;
        this.dataDirectory = dataDirectory;
        this.registry = new RegistryClient(target.registryConnectionString(), target.registryClientOptions());
    }

    public TargetHub target() {
        return target;
    }

    /**
     * The hub itself when it runs in this JVM: only then can a test act as the network, for example drop a
     * device's connection. Empty for a hub in another process or a real one.
     */
    public Optional<LocalHub> embedded() {
        return Optional.ofNullable(embedded);
    }

    /**
     * The data directory of a local hub the tests started as a process: what a learner points the hub's command line
     * at (e.g. {@code device-cert --data-dir}). Empty for an embedded or a real hub.
     */
    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDirectory);
    }

    /** How long to wait for a query to show a change, and how often to ask. */
    Polling queryPolling() {
        return instant() ? new Polling(LOCAL_QUERY_CONSISTENCY, LOCAL_QUERY_POLL)
                : new Polling(REAL_QUERY_CONSISTENCY, REAL_QUERY_POLL);
    }

    /** How long to wait for the device app to act on the twin, and how often to read the twin meanwhile. */
    Polling twinPolling(Duration within) {
        return new Polling(within, instant() ? LOCAL_TWIN_POLL : REAL_TWIN_POLL);
    }

    /**
     * Whether the hub answers from live state and never throttles: a local hub with the {@code local} profile. A
     * local hub in realistic mode is polled as a real one is, since it throttles and lags as one does.
     */
    private boolean instant() {
        return target.isLocal() && (embedded == null || embedded.profile().equals(HubProfile.local()));
    }

    /** Registers a device with a unique id (so runs against a shared hub do not collide). */
    public TestDevice createDevice(String purpose) throws Exception {
        String id = "e2e-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
        Device device = registry.addDevice(new Device(id));
        createdDevices.add(id);
        return new TestDevice(id, target.deviceConnectionString(id, device.getPrimaryKey()));
    }

    public record TestDevice(String id, String connectionString) {
    }

    @Override
    public void close() throws IOException, IotHubException {
        try {
            for (String id : createdDevices) {
                registry.removeDevice(id);
            }
        } finally {
            target.close();
            if (hubToStop != null) {
                hubToStop.run();
            }
        }
    }
}
