package lab.devicetwins.tutorial.e2e;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;

import lab.devicetwins.tutorial.device.DeviceApp;
import lab.devicetwins.tutorial.device.exercises.DesiredCopy;
import lab.devicetwins.tutorial.device.exercises.VersionedReporter;

/**
 * Step 1's device app as it has to be to run unattended: the article's sections ({@code DeviceApp}) made of the
 * pieces the step's exercises build, each used from there and written nowhere else — {@link DesiredCopy} (ignores
 * what the twin it read holds, merges patches, takes the twin after a replace's full set, catches up after a
 * reconnect) and {@link VersionedReporter} (asks again when the SDK loses an answer, refreshes on 412). What it adds
 * itself: a thread of its own for the twin work, and the reconnect signal.
 */
public final class ResilientDeviceApp implements AutoCloseable {

    private final DeviceClient client;
    private final VersionedReporter reporter;
    private final String connectivityType;
    private final PrintStream out;
    /** Work for the app's own thread: the SDK's callbacks only queue it. */
    private final BlockingQueue<TwinEvent> events = new LinkedBlockingQueue<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    private DesiredCopy desired;
    private volatile int telemetryIntervalSeconds = 60;
    private int homeTemperature = 70;

    private sealed interface TwinEvent permits DesiredNotification, Reconnected, StopRequested {
    }

    private record DesiredNotification(TwinCollection desired) implements TwinEvent {
    }

    private record Reconnected() implements TwinEvent {
    }

    /** Wakes the app's thread from its wait for the next reading, so stopping takes no longer than one event. */
    private record StopRequested() implements TwinEvent {
    }

    /** @param connectivityType what the device reports as {@code connectivityType}, e.g. {@code cellular} */
    public ResilientDeviceApp(String connectionString, ClientOptions options, String connectivityType, PrintStream out) {
        this(connectionString, IotHubClientProtocol.MQTT, options, connectivityType, out);
    }

    /** As above, over {@code protocol} ({@code MQTT}, or {@code MQTT_WS} where 8883 is blocked). */
    public ResilientDeviceApp(String connectionString, IotHubClientProtocol protocol, ClientOptions options,
                              String connectivityType, PrintStream out) {
        this.client = new DeviceClient(connectionString, protocol, options);
        this.reporter = new VersionedReporter(client, 0);
        this.connectivityType = connectivityType;
        this.out = out;
    }

    /** Connects, reports, and follows desired properties until {@code runFor} has passed (null: until stopped). */
    public void run(Duration runFor) throws IotHubClientException, InterruptedException {
        Instant deadline = runFor == null ? Instant.MAX : Instant.now().plus(runFor);
        client.setConnectionStatusChangeCallback(change -> {
            out.println("Connection status: " + change.getNewStatus() + " (" + change.getNewStatusReason() + ")");
            // After a reconnect the SDK neither re-reads the twin nor replays what we missed: ask for it.
            if (change.getNewStatus() == IotHubConnectionStatus.CONNECTED
                    && change.getPreviousStatus() == IotHubConnectionStatus.DISCONNECTED_RETRYING) {
                events.add(new Reconnected());
            }
        }, null);
        DeviceApp.open(client, out);
        client.subscribeToDesiredProperties((update, context) -> events.add(new DesiredNotification(update.getDesiredProperties())), null);

        Twin twin = reporter.getTwin();
        out.println("Received the current twin:");
        out.println(twin);
        desired = new DesiredCopy(twin.getDesiredProperties());
        takeDesiredInterval();

        TwinCollection reported = new TwinCollection();
        reported.put("HomeTemp(F)", homeTemperature);
        reported.put("connectivityType", connectivityType);
        reported.put("telemetryInterval", telemetryIntervalSeconds);
        report(reported);

        followDesiredProperties(deadline);
    }

    private void followDesiredProperties(Instant deadline) throws IotHubClientException, InterruptedException {
        Instant nextReading = Instant.now().plusSeconds(telemetryIntervalSeconds);
        while (stopRequested.getCount() > 0 && Instant.now().isBefore(deadline)) {
            Instant wakeUp = nextReading.isBefore(deadline) ? nextReading : deadline;
            TwinEvent event = events.poll(Math.max(1, Duration.between(Instant.now(), wakeUp).toMillis()), TimeUnit.MILLISECONDS);
            if (event instanceof DesiredNotification notification) {
                Integer known = desired.version();
                if (desired.apply(notification.desired(), () -> reporter.getTwin().getDesiredProperties())) {
                    out.println("Desired properties changed (desired $version " + known + " -> " + desired.version()
                            + "): " + notification.desired());
                    reportIntervalChange();
                }
            } else if (event instanceof Reconnected) {
                Integer known = desired.version();
                if (desired.catchUp(reporter.getTwin().getDesiredProperties())) {
                    out.println("Reconnected: desired properties moved from $version " + known + " to "
                            + desired.version() + " while we were away");
                    reportIntervalChange();
                }
            } else if (!Instant.now().isBefore(nextReading)) {
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

    private void reportIntervalChange() throws IotHubClientException, InterruptedException {
        if (takeDesiredInterval()) {
            TwinCollection reported = new TwinCollection();
            reported.put("telemetryInterval", telemetryIntervalSeconds);
            report(reported);
        }
    }

    /** Takes the desired telemetryInterval when it is a positive number of seconds; whether the interval changed. */
    private boolean takeDesiredInterval() {
        Object interval = desired.get("telemetryInterval");
        if (!(interval instanceof Number number) || number.intValue() <= 0) {
            out.println("No usable desired telemetryInterval (" + interval + "); keeping " + telemetryIntervalSeconds + " s");
            return false;
        }
        boolean changed = number.intValue() != telemetryIntervalSeconds;
        telemetryIntervalSeconds = number.intValue();
        out.println("Applied telemetryInterval = " + telemetryIntervalSeconds + " s");
        return changed;
    }

    private void report(TwinCollection patch) throws IotHubClientException, InterruptedException {
        int version = reporter.report(patch);
        out.println("Reported " + patch + " (reported $version is now " + version + ")");
    }

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

    @Override
    public void close() {
        client.close();
    }
}
