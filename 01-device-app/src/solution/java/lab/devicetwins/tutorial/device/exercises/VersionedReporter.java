package lab.devicetwins.tutorial.device.exercises;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;

/**
 * Exercise ex-01-3-stale-reported: reported patches that name the reported {@code $version} they were based on.
 * When that version is stale (another writer, or a duplicate of an earlier patch got there first), the hub
 * refuses the patch with 412 precondition failed; the device then reads its twin for the current version and
 * sends the patch again on top of it.
 *
 * <p>iot-device-client 2.5.0 sometimes loses the hub's answer to a twin request (Azure/azure-iot-sdk-java#1803):
 * both requests here wait a bounded time and are sent again. That is safe for both: a GET changes nothing, and a
 * duplicate of a versioned patch is refused with 412 rather than applied twice.
 */
public final class VersionedReporter {

    /** A hub answers a twin request well within this; a lost answer costs this much before the request is sent again. */
    private static final int TWIN_TIMEOUT_MILLIS = 5_000;
    /**
     * A lost answer costs two attempts (the patch sent again is then a duplicate the hub refuses with 412, which
     * costs a refresh and one more send), so five leave room for one lost answer after another.
     */
    private static final int ATTEMPTS = 5;

    private final DeviceClient device;
    private int knownVersion;
    private int refreshes;

    /** @param knownReportedVersion the reported {@code $version} of the twin the device last fetched (0: none yet) */
    public VersionedReporter(DeviceClient device, int knownReportedVersion) {
        this.device = device;
        this.knownVersion = knownReportedVersion;
    }

    /** The reported {@code $version} the next patch will be based on. */
    public int knownVersion() {
        return knownVersion;
    }

    /** How many times a patch was refused as stale and the twin had to be read again. */
    public int refreshes() {
        return refreshes;
    }

    /**
     * The device's twin, asked for again when the answer is lost; its reported {@code $version} becomes the known one.
     * The SDK refuses it before the client has subscribed to desired properties.
     */
    public Twin getTwin() throws IotHubClientException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                Twin twin = device.getTwin(TWIN_TIMEOUT_MILLIS);
                knownVersion = twin.getReportedProperties().getVersion();
                return twin;
            } catch (IotHubClientException e) {
                if (e.getStatusCode() != IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Sends {@code patch} with the known reported {@code $version}. On 412 (precondition failed) reads the twin,
     * takes its reported {@code $version} and sends the patch once more; a lost answer sends it again as it was.
     *
     * @return the new reported {@code $version}, which is also the known version from now on
     */
    public int report(TwinCollection patch) throws IotHubClientException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            patch.setVersion(knownVersion);
            try {
                knownVersion = device.updateReportedProperties(patch, TWIN_TIMEOUT_MILLIS).getVersion();
                return knownVersion;
            } catch (IotHubClientException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                if (e.getStatusCode() == IotHubStatusCode.PRECONDITION_FAILED) {
                    refreshes++;
                    getTwin();
                } else if (e.getStatusCode() != IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT) {
                    throw e;
                }
            }
        }
    }
}
