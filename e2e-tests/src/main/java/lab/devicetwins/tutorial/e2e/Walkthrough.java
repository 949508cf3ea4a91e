package lab.devicetwins.tutorial.e2e;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;

import lab.devicetwins.tutorial.query.QueryApp;
import lab.devicetwins.tutorial.service.ServiceApp;
import lab.devicetwins.tutorial.shared.TargetHub;

/**
 * The one-command tour: runs steps 01, 02 and 03 in order against a local hub and says what happens in between.
 * Exits 0 when the queries found the device as the article says they should.
 *
 * <p>When a local hub already runs in another terminal (its hub.env is found and it answers), the tour uses that
 * hub with a device of its own, deleted at the end, so the learner's {@code myDeviceId} and its running device app
 * are left alone. Otherwise it starts a hub in this JVM, on another loopback address if port 8883 is taken.
 */
public final class Walkthrough {

    /** Generous: a twin request whose answer the device SDK lost is only retried after 10 s (VersionedReporter). */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int TELEMETRY_INTERVAL_SECONDS = 30;

    private final PrintStream out;

    private Walkthrough(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        int status;
        try {
            status = new Walkthrough(System.out).run() ? 0 : 1;
        } catch (Exception e) {
            System.out.println(">> Failed: " + e.getMessage());
            e.printStackTrace(System.out);
            status = 1;
        }
        // The SDKs leave worker threads behind (a client that lost its hub keeps retrying); the verdict is in,
        // so end the JVM with it.
        System.exit(status);
    }

    private boolean run() throws Exception {
        Optional<TargetHub> running = TargetHub.runningLocalHub(out);
        if (running.isEmpty()) {
            say("Starting a local IoT hub in this JVM: the official SDKs talk to it over MQTT (8883) and HTTPS.");
        }
        try (TargetHub hub = running.orElseGet(() -> TargetHub.startEmbedded(out))) {
            String deviceId = ServiceApp.DEVICE_ID;
            String deviceConnectionString;
            RegistryClient registry = null;
            if (running.isPresent()) {
                registry = new RegistryClient(hub.registryConnectionString(), hub.registryClientOptions());
                deviceId = "walkthrough-" + UUID.randomUUID().toString().substring(0, 8);
                Device device = registry.addDevice(new Device(deviceId));
                deviceConnectionString = hub.deviceConnectionString(deviceId, device.getPrimaryKey());
                say("A local hub runs in another terminal: the tour uses it, with a device of its own (" + deviceId
                        + ", deleted at the end), so your myDeviceId is left alone.");
            } else {
                deviceConnectionString = hub.deviceConnectionString();
            }
            try {
                return runSteps(hub, deviceId, deviceConnectionString);
            } finally {
                if (registry != null) {
                    registry.removeDevice(deviceId);
                }
            }
        }
    }

    private boolean runSteps(TargetHub hub, String deviceId, String deviceConnectionString) throws Exception {
        TwinClient twins = new TwinClient(hub.serviceConnectionString(), hub.twinClientOptions());
        step("Step 1: the device app", "./mvnw -q -pl 01-device-app -am compile exec:java",
                "The device connects as " + deviceId + ", reads its twin and reports HomeTemp(F) and connectivityType.");
        ResilientDeviceApp device = new ResilientDeviceApp(deviceConnectionString, hub.deviceClientOptions(), "cellular",
                prefixed("device  | "));
        Thread deviceThread = new Thread(() -> {
            try {
                device.run(null);
            } catch (Exception e) {
                out.println("device  | failed: " + e);
            }
        }, "device-app");
        deviceThread.start();
        try {
            return runSteps2And3(hub, twins, deviceId);
        } finally {
            device.stop();
            deviceThread.join(10_000);
            device.close();
        }
    }

    /** Steps 2 and 3, while the device app of step 1 runs. */
    private boolean runSteps2And3(TargetHub hub, TwinClient twins, String deviceId) throws Exception {
        waitFor("the device's report", () -> "cellular".equals(reported(twins, deviceId, "connectivityType")));

        step("Step 2: the service app", "./mvnw -q -pl 02-service-app -am compile exec:java",
                "The back end tags the twin (region=US, plant=Redmond43), then sets the desired telemetryInterval;"
                        + " the device is told, applies it and reports it back.");
        new ServiceApp(hub.serviceConnectionString(), hub.twinClientOptions(), prefixed("service | "))
                .run(deviceId, TELEMETRY_INTERVAL_SECONDS);
        waitFor("the device to apply telemetryInterval",
                () -> reported(twins, deviceId, "telemetryInterval") instanceof Number n && n.intValue() == TELEMETRY_INTERVAL_SECONDS);

        step("Step 3: the queries", "./mvnw -q -pl 03-query -am compile exec:java",
                "Both of the article's queries now find " + deviceId + ": it is tagged plant=Redmond43 and reports cellular.");
        QueryApp.Result result = new QueryApp(hub.serviceConnectionString(), hub.queryClientOptions(), prefixed("query   | ")).run();

        boolean found = result.inRedmond43().contains(deviceId) && result.inRedmond43OnCellular().contains(deviceId);
        say(found ? "Done: the twin went from empty to tagged, configured and reported, and the queries see it."
                : "Unexpected: the queries did not find " + deviceId + " in both result sets.");
        return found;
    }

    private static Object reported(TwinClient twins, String deviceId, String key) {
        try {
            return twins.get(deviceId).getReportedProperties().get(key);
        } catch (Exception e) {
            return null;
        }
    }

    private void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Gave up waiting for " + what + " after " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    private void step(String title, String command, String what) {
        out.println();
        out.println("== " + title);
        out.println("   (on its own: " + command + ")");
        out.println("   " + what);
    }

    private void say(String text) {
        out.println(">> " + text);
    }

    /** Output of one app, each line marked with the app's name, as if it ran in its own terminal. */
    private PrintStream prefixed(String prefix) {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    out.println(prefix + line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else if (b != '\r') {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }
}
