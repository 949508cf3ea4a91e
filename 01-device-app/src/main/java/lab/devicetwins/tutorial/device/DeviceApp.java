package lab.devicetwins.tutorial.device;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.ReportedPropertiesUpdateResponse;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;

import lab.devicetwins.tutorial.shared.TargetHub;

/**
 * Step 1, the device app of "Get started with device twins": connects as a device over MQTT, reads its twin,
 * reports {@code HomeTemp(F)} and {@code connectivityType}, and follows desired-property changes
 * ({@code telemetryInterval}) by applying them and reporting the new state.
 *
 * <p>Run it with {@code ./mvnw -q -pl 01-device-app exec:java}; pass a number of seconds to stop by itself
 * ({@code -Dexec.args=30}), otherwise it runs until you stop it (Ctrl+C).
 */
public final class DeviceApp implements AutoCloseable {

    /** How long one twin request may take before we give up on that attempt. */
    private static final int TWIN_TIMEOUT_MILLIS = 10_000;
    /**
     * iot-device-client 2.5.0 sometimes loses the answer to a twin request (Azure/azure-iot-sdk-java#1803), so
     * a request that timed out is sent again. Both requests are safe to repeat: a GET changes nothing, and a
     * reported patch carries the $version it expects, so a duplicate is refused with 412 instead of applied twice.
     */
    private static final int TWIN_ATTEMPTS = 3;
    private static final int DEFAULT_TELEMETRY_INTERVAL_SECONDS = 60;

    private final DeviceClient client;
    private final String connectivityType;
    private final PrintStream out;
    /** Work for the app's own thread: the SDK's callbacks only queue it (see subscribeToDesiredProperties). */
    private final BlockingQueue<TwinEvent> events = new LinkedBlockingQueue<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Our copy of the twin: what the hub last told us, plus the desired patches received since. */
    private Twin twin;
    private volatile int telemetryIntervalSeconds = DEFAULT_TELEMETRY_INTERVAL_SECONDS;
    private int homeTemperature = 70;

    private sealed interface TwinEvent permits DesiredPatch, Reconnected, StopRequested {
    }

    private record DesiredPatch(TwinCollection desired) implements TwinEvent {
    }

    private record Reconnected() implements TwinEvent {
    }

    /** Wakes the app's thread from its wait for the next reading, so stopping takes no longer than one event. */
    private record StopRequested() implements TwinEvent {
    }

    public static void main(String[] args) throws Exception {
        Duration runFor = args.length > 0 ? Duration.ofSeconds(Long.parseLong(args[0])) : null;
        try (TargetHub hub = TargetHub.resolve();
             DeviceApp app = new DeviceApp(hub.deviceConnectionString(), hub.deviceClientOptions(), "cellular", System.out)) {
            Runtime.getRuntime().addShutdownHook(new Thread(app::stopAndWait));
            app.run(runFor);
        }
    }

    /**
     * @param connectionString the device's connection string ({@code HostName=…;DeviceId=…;SharedAccessKey=…})
     * @param options          SDK client options; for a local hub they carry trust in its CA
     * @param connectivityType what the device reports as {@code connectivityType}, e.g. {@code cellular}
     */
    public DeviceApp(String connectionString, ClientOptions options, String connectivityType, PrintStream out) {
        // region::connect
        // Section "Connect to the device": MQTT, the protocol the article uses (port 8883).
        client = new DeviceClient(connectionString, IotHubClientProtocol.MQTT, options);
        // end::connect
        this.connectivityType = connectivityType;
        this.out = out;
    }

    /** Connects, reports, and follows desired properties until {@code runFor} has passed (null: until stopped). */
    public void run(Duration runFor) throws IotHubClientException, InterruptedException {
        Instant deadline = runFor == null ? Instant.MAX : Instant.now().plus(runFor);
        try {
            // region::open
            client.setConnectionStatusChangeCallback(change -> {
                out.println("Connection status: " + change.getNewStatus() + " (" + change.getNewStatusReason() + ")");
                // After a reconnect the SDK neither re-reads the twin nor replays what we missed: ask for it.
                if (change.getNewStatus() == IotHubConnectionStatus.CONNECTED
                        && change.getPreviousStatus() == IotHubConnectionStatus.DISCONNECTED_RETRYING) {
                    events.add(new Reconnected());
                }
            }, null);
            // open(false): a wrong key fails at once with UNAUTHORIZED; open(true) would retry it for minutes.
            try {
                client.open(false);
            } catch (IotHubClientException e) {
                if (e.getStatusCode() != IotHubStatusCode.UNAUTHORIZED) {
                    throw e;
                }
                throw new IotHubClientException(IotHubStatusCode.UNAUTHORIZED, "The hub refused this device's credentials:"
                        + " check DeviceId and SharedAccessKey in the device connection string (IOTHUB_DEVICE_CONNECTION_STRING)", e);
            }
            // end::open

            // region::subscribe
            // Section "Subscribe to desired property changes". Subscribe before reading the twin, so no change
            // made in between is lost. The callback runs on an SDK thread that must not wait for twin answers
            // itself, so it only hands the patch to our thread.
            client.subscribeToDesiredProperties(
                    (update, context) -> events.add(new DesiredPatch(update.getDesiredProperties())), null, TWIN_TIMEOUT_MILLIS);
            // end::subscribe

            // region::get-twin
            // Section "Retrieve and view a device twin".
            twin = getTwin();
            out.println("Received the current twin:");
            out.println(twin);
            applyDesired(twin.getDesiredProperties(), false);
            // end::get-twin

            // region::report
            // Section "Update device twin reported properties".
            TwinCollection reported = new TwinCollection();
            reported.put("HomeTemp(F)", homeTemperature);
            reported.put("connectivityType", connectivityType);
            reported.put("telemetryInterval", telemetryIntervalSeconds);
            report(reported);
            // end::report

            followDesiredProperties(deadline);
        } finally {
            stopped.countDown();
        }
    }

    // region::follow
    private void followDesiredProperties(Instant deadline) throws IotHubClientException, InterruptedException {
        Instant nextReading = Instant.now().plusSeconds(telemetryIntervalSeconds);
        while (stopRequested.getCount() > 0 && Instant.now().isBefore(deadline)) {
            Instant wakeUp = nextReading.isBefore(deadline) ? nextReading : deadline;
            TwinEvent event = events.poll(Math.max(1, Duration.between(Instant.now(), wakeUp).toMillis()), TimeUnit.MILLISECONDS);
            if (event instanceof DesiredPatch patch) {
                onDesiredPatch(patch.desired());
            } else if (event instanceof Reconnected) {
                catchUpAfterReconnect();
            } else if (!Instant.now().isBefore(nextReading)) {
                // The telemetry interval the service asked for: how often the thermostat is read and reported.
                TwinCollection reading = new TwinCollection();
                reading.put("HomeTemp(F)", readThermostat());
                report(reading);
                nextReading = Instant.now().plusSeconds(telemetryIntervalSeconds);
            }
            if (event != null) {
                nextReading = Instant.now().plusSeconds(telemetryIntervalSeconds);
            }
        }
    }

    private void onDesiredPatch(TwinCollection patch) throws IotHubClientException, InterruptedException {
        TwinCollection desired = twin.getDesiredProperties();
        if (patch.getVersion() != null && desired.getVersion() != null && patch.getVersion() <= desired.getVersion()) {
            // Sent before the twin we fetched, which already contains it.
            out.println("Ignoring desired patch $version " + patch.getVersion()
                    + ": our twin is already at desired $version " + desired.getVersion());
            return;
        }
        for (Map.Entry<String, Object> change : patch.entrySet()) {
            if (change.getValue() == null) {
                desired.remove(change.getKey()); // null in a patch deletes the property
            } else {
                desired.put(change.getKey(), change.getValue());
            }
        }
        desired.setVersion(patch.getVersion());
        out.println("Desired properties changed (desired $version " + patch.getVersion() + "): " + patch);
        applyDesired(patch, true);
    }

    private void catchUpAfterReconnect() throws IotHubClientException, InterruptedException {
        Twin current = getTwin();
        Integer known = twin.getDesiredProperties().getVersion();
        Integer latest = current.getDesiredProperties().getVersion();
        twin = current;
        if (latest != null && (known == null || latest > known)) {
            out.println("Reconnected: desired properties moved from $version " + known + " to " + latest + " while we were away");
            applyDesired(current.getDesiredProperties(), true);
        }
    }

    /** Applies what the device understands of the desired properties, and reports the state it now runs with. */
    private void applyDesired(TwinCollection desired, boolean reportChange) throws IotHubClientException, InterruptedException {
        Object interval = desired.get("telemetryInterval");
        if (interval == null) {
            if (desired.containsKey("telemetryInterval")) {
                // A null in a patch: the service removed the property. Nothing asks for another interval.
                out.println("telemetryInterval removed from the desired properties; keeping " + telemetryIntervalSeconds + " s");
            }
            return;
        }
        if (!(interval instanceof Number number) || number.intValue() <= 0) {
            out.println("Ignoring telemetryInterval " + interval + ": expected a positive number of seconds");
            return;
        }
        telemetryIntervalSeconds = number.intValue();
        out.println("Applied telemetryInterval = " + telemetryIntervalSeconds + " s");
        if (reportChange) {
            TwinCollection reported = new TwinCollection();
            reported.put("telemetryInterval", telemetryIntervalSeconds);
            report(reported);
        }
    }
    // end::follow

    // region::get-twin-retry
    private Twin getTwin() throws IotHubClientException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.getTwin(TWIN_TIMEOUT_MILLIS);
            } catch (IotHubClientException e) {
                if (e.getStatusCode() != IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT || attempt == TWIN_ATTEMPTS) {
                    throw e;
                }
                out.println("No answer to getTwin within " + TWIN_TIMEOUT_MILLIS + " ms; asking again");
            }
        }
    }
    // end::get-twin-retry

    // region::report-with-version
    /**
     * Sends a reported patch that names the reported $version it was based on. If the hub's version moved on
     * (another writer, or a duplicate of our own earlier patch), it answers 412 precondition failed: we refresh
     * the twin and send the patch again on top of the current version.
     */
    private void report(TwinCollection patch) throws IotHubClientException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            patch.setVersion(twin.getReportedProperties().getVersion());
            try {
                ReportedPropertiesUpdateResponse response = client.updateReportedProperties(patch, TWIN_TIMEOUT_MILLIS);
                twin.getReportedProperties().putAll(patch);
                twin.getReportedProperties().setVersion(response.getVersion());
                out.println("Reported " + patch + " (reported $version is now " + response.getVersion() + ")");
                return;
            } catch (IotHubClientException e) {
                if (attempt == TWIN_ATTEMPTS) {
                    throw e;
                }
                if (e.getStatusCode() == IotHubStatusCode.PRECONDITION_FAILED) {
                    out.println("Precondition failed: reported $version " + patch.getVersion() + " is stale; refreshing the twin");
                    // Take only the reported side of the fresh twin. Desired changes reach this thread as patches,
                    // in order; taking them from here too would make us skip those patches without applying them.
                    twin = new Twin(twin.getDesiredProperties(), getTwin().getReportedProperties());
                } else if (e.getStatusCode() != IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT) {
                    throw e;
                } else {
                    out.println("No answer to the reported patch within " + TWIN_TIMEOUT_MILLIS + " ms; sending it again");
                }
            }
        }
    }
    // end::report-with-version

    private int readThermostat() {
        // A simulated thermostat that drifts by at most one degree per reading.
        homeTemperature += (int) Math.round(Math.random() * 2) - 1;
        return homeTemperature;
    }

    /** The telemetry interval this device runs with now (read from any thread). */
    public int telemetryIntervalSeconds() {
        return telemetryIntervalSeconds;
    }

    /** Asks {@link #run} to return; safe from any thread. */
    public void stop() {
        stopRequested.countDown();
        events.add(new StopRequested());
    }

    private void stopAndWait() {
        stop();
        try {
            stopped.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
