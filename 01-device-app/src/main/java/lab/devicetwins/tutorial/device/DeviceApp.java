package lab.devicetwins.tutorial.device;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;

/**
 * Step 1, the device application of "Get started with device twins", with iot-device-client 2.5.0: connects over
 * MQTT, reads its twin, reports {@code HomeTemp(F)}, {@code connectivityType} and {@code telemetryInterval}, and
 * follows the desired {@code telemetryInterval}. Only the SDK and two environment variables (the connection string;
 * {@code IOTHUB_DEVICE_PROTOCOL=MQTT_WS} for MQTT over WebSockets where port 8883 is blocked): copy it as it is.
 *
 * <p>What it leaves out, as the article does (asking again when the SDK loses the answer to a twin read, catching
 * up after a reconnect, 412 on a stale reported version, a copy of all desired properties), is what the exercises
 * of this step add; docs/01-device-app.md has the table.
 */
public final class DeviceApp implements AutoCloseable {

    private final DeviceClient client;
    private final String connectivityType;
    private final PrintStream out;
    /** Desired notifications, handed from the SDK's thread to ours (see subscribeToDesiredPropertyChanges). */
    private final BlockingQueue<TwinCollection> notifications = new LinkedBlockingQueue<>();
    private int desiredVersion;
    private int telemetryIntervalSeconds = 60;
    private int homeTemperature = 70;

    /** Against any hub whose certificate the JDK trusts (a real one): {@code IOTHUB_DEVICE_CONNECTION_STRING}. */
    public static void main(String[] args) throws Exception {
        String connectionString = System.getenv("IOTHUB_DEVICE_CONNECTION_STRING");
        if (connectionString == null || !connectionString.contains("DeviceId=")) {
            throw new IllegalArgumentException("Set IOTHUB_DEVICE_CONNECTION_STRING to the device's connection string"
                    + " (HostName=...;DeviceId=...;SharedAccessKey=...)");
        }
        // MQTT_WS: MQTT over WebSockets on port 443, for networks that block 8883
        IotHubClientProtocol protocol = IotHubClientProtocol.valueOf(
                System.getenv().getOrDefault("IOTHUB_DEVICE_PROTOCOL", "MQTT"));
        try (DeviceApp app = new DeviceApp(connectionString, protocol, ClientOptions.builder().build(), "cellular",
                System.out)) {
            app.run(args.length > 0 ? Duration.ofSeconds(Long.parseLong(args[0])) : null);
        }
    }

    /** How long {@link #open} keeps trying while the hub answers "not now". */
    public static final Duration OPEN_PATIENCE = Duration.ofSeconds(60);
    private static final Duration MAX_OPEN_PAUSE = Duration.ofSeconds(8);

    /** Over MQTT on port 8883; see {@link #DeviceApp(String, IotHubClientProtocol, ClientOptions, String, PrintStream)}. */
    public DeviceApp(String connectionString, ClientOptions options, String connectivityType, PrintStream out) {
        this(connectionString, IotHubClientProtocol.MQTT, options, connectivityType, out);
    }

    /**
     * @param protocol         {@code MQTT} (port 8883) or {@code MQTT_WS} (MQTT over WebSockets, port 443)
     * @param options          SDK client options; for a local hub they carry trust in its CA (DeviceAppLauncher)
     * @param connectivityType what the device reports as {@code connectivityType}, e.g. {@code cellular}
     */
    public DeviceApp(String connectionString, IotHubClientProtocol protocol, ClientOptions options,
                     String connectivityType, PrintStream out) {
        // region::connect
        // Section "Connect a device to IoT Hub": MQTT on port 8883, or MQTT_WS (MQTT over WebSockets, port 443).
        client = new DeviceClient(connectionString, protocol, options);
        // end::connect
        this.connectivityType = connectivityType;
        this.out = out;
    }

    /** Runs the article's sections, then follows desired changes until {@code runFor} has passed (null: for ever). */
    public void run(Duration runFor) throws IotHubClientException, InterruptedException {
        Instant deadline = runFor == null ? Instant.MAX : Instant.now().plus(runFor);
        open(client, out);
        subscribeToDesiredPropertyChanges();
        retrieveTheTwin();
        updateReportedProperties();
        followDesiredProperties(deadline);
    }

    // region::open
    /**
     * Opens the connection. {@code open(false)} fails at once, so a wrong key is reported at once (UNAUTHORIZED);
     * {@code open(true)} would retry it for minutes. A refusal the hub means as "not now" is retried, with a pause
     * that doubles up to {@link #OPEN_PATIENCE} in all: IoT Hub answers "server unavailable" to a device created a
     * moment ago that has not reached every gateway yet, and holds or refuses connections over its throttle.
     */
    public static void open(DeviceClient client, PrintStream out) throws IotHubClientException, InterruptedException {
        Instant giveUp = Instant.now().plus(OPEN_PATIENCE);
        Duration pause = Duration.ofMillis(250);
        while (true) {
            try {
                client.open(false);
                out.println("Connected");
                return;
            } catch (IotHubClientException e) {
                if (!e.isRetryable() || Instant.now().plus(pause).isAfter(giveUp)) {
                    throw e;
                }
                out.println("The hub refused the connection for now (" + e.getStatusCode() + "); trying again in "
                        + pause.toMillis() + " ms");
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(MAX_OPEN_PAUSE) > 0 ? MAX_OPEN_PAUSE : pause.multipliedBy(2);
            }
        }
    }
    // end::open

    private void retrieveTheTwin() throws IotHubClientException, InterruptedException {
        // region::get-twin
        // Section "Retrieve and view a device twin".
        Twin twin = client.getTwin();
        out.println("Received the current twin:");
        out.println(twin);
        // end::get-twin
        desiredVersion = twin.getDesiredProperties().getVersion() == null ? 0 : twin.getDesiredProperties().getVersion();
        applyDesired(twin.getDesiredProperties());
    }

    private void updateReportedProperties() {
        // region::report
        // Section "Update device twin reported properties": a patch with only what changes.
        TwinCollection reported = new TwinCollection();
        reported.put("HomeTemp(F)", homeTemperature);
        reported.put("connectivityType", connectivityType);
        reported.put("telemetryInterval", telemetryIntervalSeconds);
        report(reported);
        // end::report
    }

    // region::report-async
    /**
     * The article waits for each answer (updateReportedProperties). iot-device-client 2.5.0 sometimes loses the
     * hub's answer although the hub applied the patch (Azure/azure-iot-sdk-java#1803), and the waiting call then
     * hangs until its timeout and fails. Nothing here needs the answer, so the app does not wait for it.
     */
    private void report(TwinCollection reported) {
        client.updateReportedPropertiesAsync(reported, (status, response, exception, context) -> out.println(
                status == IotHubStatusCode.OK
                        ? "Reported " + reported + " (reported $version is now " + response.getVersion() + ")"
                        : "The hub did not take " + reported + ": " + status), null);
    }
    // end::report-async

    private void subscribeToDesiredPropertyChanges() throws IotHubClientException, InterruptedException {
        // region::subscribe
        // Section "Subscribe to desired property changes", called first: SDK v2 refuses getTwin before it, and
        // no change made between the read and the subscription is lost. The callback runs on an SDK thread that
        // must not wait for twin answers itself, so it only hands the notification over.
        client.subscribeToDesiredProperties((update, context) -> notifications.add(update.getDesiredProperties()), null);
        // end::subscribe
    }

    // region::follow
    private void followDesiredProperties(Instant deadline) throws InterruptedException {
        Instant nextReading = Instant.now().plusSeconds(telemetryIntervalSeconds);
        while (Instant.now().isBefore(deadline)) {
            Instant wakeUp = nextReading.isBefore(deadline) ? nextReading : deadline;
            TwinCollection notification = notifications.poll(
                    Math.max(1, Duration.between(Instant.now(), wakeUp).toMillis()), TimeUnit.MILLISECONDS);
            if (notification != null) {
                onDesiredPropertiesChanged(notification);
            } else if (!Instant.now().isBefore(nextReading)) {
                TwinCollection reading = new TwinCollection();
                reading.put("HomeTemp(F)", readThermostat());
                report(reading);
                nextReading = Instant.now().plusSeconds(telemetryIntervalSeconds);
            }
        }
    }

    private void onDesiredPropertiesChanged(TwinCollection notification) {
        if (notification.getVersion() != null && notification.getVersion() <= desiredVersion) {
            return; // sent before the twin we read, which holds it already
        }
        desiredVersion = notification.getVersion() == null ? desiredVersion : notification.getVersion();
        out.println("Desired properties changed (desired $version " + desiredVersion + "): " + notification);
        // A notification holds what a patch changed, or the whole desired set after a replace; it does not say
        // which. So keep no merged copy of the desired properties (after a replace it would keep what the replace
        // removed): act on what the notification names. One that leaves telemetryInterval out is a patch that did
        // not touch it or a replace that removed it; either way this device keeps its interval.
        if (!notification.containsKey("telemetryInterval")) {
            return;
        }
        int before = telemetryIntervalSeconds;
        applyDesired(notification);
        if (before != telemetryIntervalSeconds) {
            TwinCollection reported = new TwinCollection();
            reported.put("telemetryInterval", telemetryIntervalSeconds);
            report(reported);
        }
    }

    /** Takes what the device understands from the desired properties: a positive telemetryInterval in seconds. */
    private void applyDesired(TwinCollection desired) {
        if (!(desired.get("telemetryInterval") instanceof Number interval) || interval.intValue() <= 0) {
            // Absent, removed with a null, or not a positive number: nothing asks for another interval.
            out.println("No usable desired telemetryInterval; keeping " + telemetryIntervalSeconds + " s");
            return;
        }
        telemetryIntervalSeconds = interval.intValue();
        out.println("Applied telemetryInterval = " + telemetryIntervalSeconds + " s");
    }
    // end::follow

    private int readThermostat() {
        // A simulated thermostat that drifts by at most one degree per reading.
        homeTemperature += (int) Math.round(Math.random() * 2) - 1;
        return homeTemperature;
    }

    @Override
    public void close() {
        client.close();
    }
}
