package lab.devicetwins.tutorial.e2e;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;

import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.tutorial.shared.TargetHub;

/**
 * The hub under test, and the devices the tests created on it. JUnit closes it (it sits in the root store) when
 * the test JVM's tests are done: the devices are deleted, then a hub started for the tests is stopped.
 */
public final class TestHub implements AutoCloseable {

    private final TargetHub target;
    private final Runnable hubToStop;
    private final LocalHub embedded;
    private final RegistryClient registry;
    private final List<String> createdDevices = new CopyOnWriteArrayList<>();

    /** @param hubToStop stops the hub the tests started, after their devices are deleted; null for a hub they found */
    TestHub(TargetHub target, Runnable hubToStop) {
        this(target, hubToStop, null);
    }

    /** @param embedded the hub the tests started in this JVM, which they may also operate directly */
    TestHub(TargetHub target, Runnable hubToStop, LocalHub embedded) {
        this.target = target;
        this.hubToStop = hubToStop;
        this.embedded = embedded;
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

    /** Registers a device with a unique id (so runs against a shared hub do not collide). */
    public TestDevice createDevice(String purpose) throws Exception {
        String id = "e2e-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
        Device device = registry.addDevice(new Device(id));
        createdDevices.add(id);
        String host = hostName(target.registryConnectionString());
        return new TestDevice(id, "HostName=" + host + ";DeviceId=" + id + ";SharedAccessKey=" + device.getPrimaryKey());
    }

    public record TestDevice(String id, String connectionString) {
    }

    static String hostName(String connectionString) {
        for (String part : connectionString.split(";")) {
            if (part.regionMatches(true, 0, "HostName=", 0, "HostName=".length())) {
                return part.substring("HostName=".length());
            }
        }
        throw new IllegalArgumentException("No HostName in the connection string");
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
