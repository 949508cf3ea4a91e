package lab.devicetwins.bench;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.process.LocalHubProcess;

/**
 * What the scenarios share: the environment, the load generator, and the hub that scenarios 1-4 measure (started once
 * on 8883 with {@link #MQTT_DEVICES} devices, stopped before the scenarios that start hubs of their own).
 */
final class BenchContext implements AutoCloseable {
    static final int MQTT_DEVICES = 10_000;

    private final BenchEnvironment bench;
    private MqttLoad load;
    private LocalHubProcess hub;

    BenchContext(BenchEnvironment bench) {
        this.bench = bench;
    }

    /** {@link #MQTT_DEVICES}, or more when the connections scenario is asked to connect more at once. */
    static int mqttDevices() {
        return Math.max(MQTT_DEVICES, Integer.getInteger("bench.connections", MQTT_DEVICES));
    }

    BenchEnvironment bench() {
        return bench;
    }

    MqttLoad load() {
        if (load == null) {
            load = new MqttLoad();
        }
        return load;
    }

    /** The shared hub, started on first use. */
    LocalHubProcess hub() throws Exception {
        if (hub == null) {
            Path dir = bench.workDir().resolve("hub-mqtt");
            BenchDevices.ensureMqttDevices(dir, mqttDevices());
            hub = bench.hubProcess(dir, BenchEnvironment.MQTT_PORT).start();
            System.out.printf("# hub pid %d started in %d ms on %s:%d (data %s)%n", hub.pid(),
                    hub.startedIn().toMillis(), bench.hubHost(), hub.hubEnv().port(HubEnvFile.MQTT_PORT).orElseThrow(),
                    dir);
        }
        return hub;
    }

    void stopHub() {
        if (hub != null) {
            hub.close();
            hub = null;
        }
    }

    /** Replaces the shared hub by a fresh process on the same data (after kill -9, say). */
    void forgetHub() {
        hub = null;
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
        stopHub();
        if (load != null) {
            load.close();
        }
    }
}
