package lab.devicetwins.tutorial.service;

import java.io.IOException;
import java.io.PrintStream;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinClientOptions;

/**
 * Step 2, the backend application of "Get started with device twins", with iot-service-client 2.1.9: reads the
 * device's twin, sets the tags {@code region=US} and {@code plant=Redmond43} where they differ, and asks the device
 * for a new {@code telemetryInterval} through a desired property (the Java article only updates tags; setting a
 * desired property comes from its .NET and Python versions). Only the SDK and one environment variable: copy it.
 *
 * <p>It needs a shared access policy with ServiceConnect, which covers twins and queries: the article's
 * {@code serviceAndRegistryRead}. What it leaves out (If-Match on the etag, retried on 412) is exercise ex-02-1.
 */
public final class ServiceApp {

    public static final String DEVICE_ID = "myDeviceId";
    public static final String REGION = "US";
    public static final String PLANT = "Redmond43";
    public static final int TELEMETRY_INTERVAL_SECONDS = 30;

    private final TwinClient twinClient;
    private final PrintStream out;

    /** Against any hub whose certificate the JDK trusts (a real one): {@code IOTHUB_SERVICE_CONNECTION_STRING}. */
    public static void main(String[] args) throws Exception {
        String connectionString = System.getenv("IOTHUB_SERVICE_CONNECTION_STRING");
        if (connectionString == null || !connectionString.contains("SharedAccessKeyName=")) {
            throw new IllegalArgumentException("Set IOTHUB_SERVICE_CONNECTION_STRING to a shared access policy's"
                    + " connection string (HostName=...;SharedAccessKeyName=...;SharedAccessKey=...)");
        }
        new ServiceApp(connectionString, TwinClientOptions.builder().build(), System.out).run(DEVICE_ID, TELEMETRY_INTERVAL_SECONDS);
    }

    /** @param options SDK client options; for a local hub without port 443 they carry its proxy (ServiceAppLauncher) */
    public ServiceApp(String connectionString, TwinClientOptions options, PrintStream out) {
        // region::connect
        // Section "Connect to the IoT Hub": the v2 TwinClient in place of the article's v1 DeviceTwin.
        twinClient = new TwinClient(connectionString, options);
        // end::connect
        this.out = out;
    }

    /** Tags the device and sets its desired telemetry interval; returns the twin after the last change. */
    public Twin run(String deviceId, int telemetryIntervalSeconds) throws IotHubException, IOException {
        updateTags(deviceId);
        return setDesiredTelemetryInterval(deviceId, telemetryIntervalSeconds);
    }

    // region::update-tags
    /** Section "Update device twin fields": the tags, where either differs from what the twin holds. */
    public Twin updateTags(String deviceId) throws IotHubException, IOException {
        Twin twin = twinClient.get(deviceId);
        out.println("Device twin before update:");
        out.println(twin);

        // The article tests "neither tag is set" (&&), which leaves a twin with only one of them as it is.
        if (REGION.equals(twin.getTags().get("region")) && PLANT.equals(twin.getTags().get("plant"))) {
            out.println("Tags already say region=" + REGION + ", plant=" + PLANT + ": nothing to update");
            return twin;
        }
        // A patch carries only what changes: other tags and the desired properties stay as they are.
        Twin patch = new Twin(deviceId);
        patch.getTags().put("region", REGION);
        patch.getTags().put("plant", PLANT);
        Twin updated = twinClient.patch(patch);
        out.println("Device twin after update:");
        out.println(updated);
        return updated;
    }
    // end::update-tags

    // region::set-desired
    /**
     * From the .NET and Python versions of the article: asks the device for a new telemetry interval. The device
     * app applies it and reports it back. The last writer of a desired property is meant to win: no etag.
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
