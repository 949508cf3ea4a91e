package lab.devicetwins.tutorial.service;

import java.io.IOException;
import java.io.PrintStream;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubPreconditionFailedException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinClientOptions;

import lab.devicetwins.tutorial.shared.TargetHub;

/**
 * Step 2, the back-end app of "Get started with device twins": reads the device's twin, adds the tags
 * {@code region=US} and {@code plant=Redmond43} where they differ, and asks the device for a new
 * {@code telemetryInterval} through a desired property. Prints the twin after each change.
 *
 * <p>Run it with {@code ./mvnw -q -pl 02-service-app exec:java}; {@code -Dexec.args="myDeviceId 30"} picks the
 * device and the interval, {@code -Dexec.args="myDeviceId null"} removes the desired interval
 * again. It needs a policy with ServiceConnect (twins) and RegistryRead (queries, step 3).
 */
public final class ServiceApp {

    public static final String DEVICE_ID = "myDeviceId";
    public static final String REGION = "US";
    public static final String PLANT = "Redmond43";
    public static final int TELEMETRY_INTERVAL_SECONDS = 30;
    /** Another writer may change the twin between our read and our write; that many fresh tries, then give up. */
    private static final int TAG_UPDATE_ATTEMPTS = 3;

    private final TwinClient twinClient;
    private final PrintStream out;

    public static void main(String[] args) throws Exception {
        String deviceId = args.length > 0 ? args[0] : DEVICE_ID;
        String interval = args.length > 1 ? args[1] : Integer.toString(TELEMETRY_INTERVAL_SECONDS);
        try (TargetHub hub = TargetHub.resolve()) {
            ServiceApp app = new ServiceApp(hub.serviceConnectionString(), hub.twinClientOptions(), System.out);
            if (interval.equals("null")) {
                app.removeDesiredTelemetryInterval(deviceId);
            } else {
                app.run(deviceId, Integer.parseInt(interval));
            }
        }
    }

    public ServiceApp(String connectionString, TwinClientOptions options, PrintStream out) {
        // region::connect
        // Section "Connect to the IoT hub": the v2 TwinClient replaces the article's DeviceTwin.
        twinClient = new TwinClient(connectionString, options);
        // end::connect
        this.out = out;
    }

    /** Tags the device and sets its desired telemetry interval; returns the twin after the last change. */
    public Twin run(String deviceId, int telemetryIntervalSeconds) throws IotHubException, IOException {
        try {
            updateTags(deviceId);
            return setDesiredTelemetryInterval(deviceId, telemetryIntervalSeconds);
        } catch (IotHubUnauthorizedException e) {
            throw new IotHubUnauthorizedException("The hub refused the service credentials: check IOTHUB_CONNECTION_STRING"
                    + " (a shared access policy with ServiceConnect and RegistryRead). The hub said: " + e.getMessage());
        }
    }

    // region::update-tags
    /** Section "Update device twin tags": only when they differ, and only if nobody changed the twin meanwhile. */
    public Twin updateTags(String deviceId) throws IotHubException, IOException {
        for (int attempt = 1; ; attempt++) {
            Twin twin = twinClient.get(deviceId);
            out.println("Device twin before update:");
            out.println(twin);

            if (REGION.equals(twin.getTags().get("region")) && PLANT.equals(twin.getTags().get("plant"))) {
                out.println("Tags already say region=" + REGION + ", plant=" + PLANT + ": nothing to update");
                return twin;
            }

            // A patch carries only what changes; the etag we read makes the hub refuse it (412) if the
            // twin changed since, instead of silently overwriting someone else's tags.
            Twin patch = new Twin(deviceId);
            patch.getTags().put("region", REGION);
            patch.getTags().put("plant", PLANT);
            try {
                Twin updated = twinClient.patch(patch, twin.getETag());
                out.println("Device twin after updating the tags:");
                out.println(updated);
                return updated;
            } catch (IotHubPreconditionFailedException e) {
                if (attempt == TAG_UPDATE_ATTEMPTS) {
                    throw e;
                }
                out.println("The twin changed since we read it (etag " + twin.getETag() + "); reading it again");
            }
        }
    }
    // end::update-tags

    // region::set-desired
    /**
     * Section "Create a service app that updates desired properties": asks the device for a new telemetry
     * interval; the device app applies it and reports it back. No etag here: the last writer of a desired
     * property is meant to win.
     */
    public Twin setDesiredTelemetryInterval(String deviceId, int seconds) throws IotHubException, IOException {
        Twin patch = new Twin(deviceId);
        patch.getDesiredProperties().put("telemetryInterval", seconds);
        Twin updated = twinClient.patch(patch);
        out.println("Device twin after setting desired telemetryInterval = " + seconds + ":");
        out.println(updated);
        return updated;
    }
    // end::set-desired

    // region::remove-desired
    /** Not in the article: a null in a patch removes the property from the twin (the device is told so, too). */
    public Twin removeDesiredTelemetryInterval(String deviceId) throws IotHubException, IOException {
        Twin patch = new Twin(deviceId);
        patch.getDesiredProperties().put("telemetryInterval", null);
        Twin updated = twinClient.patch(patch);
        out.println("Device twin after removing desired telemetryInterval:");
        out.println(updated);
        return updated;
    }
    // end::remove-desired
}
