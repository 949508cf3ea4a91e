package lab.devicetwins.tutorial.device.exercises;

import java.util.Map;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;

/**
 * Exercise ex-01-1-ack-desired: a device acknowledges the desired properties it was sent, so the back end can
 * tell that its change arrived and which version of it the device runs with.
 *
 * <p>Each desired property {@code name} is answered in the reported properties as
 * {@code name: {"value": …, "ac": 200, "av": <desired $version>, "ad": "…"}} — the convention IoT Plug and Play
 * uses for writable properties ({@code ac} status code, {@code av} acknowledged version, {@code ad} description).
 */
public final class DesiredAcknowledgement {

    /** The status a device reports for a desired value it accepted (an HTTP-like code, as in IoT Plug and Play). */
    public static final int ACCEPTED = 200;
    /** A hub answers a twin request well within this; a lost answer costs this much before the request is sent again. */
    private static final int TWIN_TIMEOUT_MILLIS = 5_000;
    /** iot-device-client 2.5.0 can lose the hub's answer (see DeviceApp); the same acknowledgement may be sent again. */
    private static final int ATTEMPTS = 3;

    private DesiredAcknowledgement() {
    }

    /**
     * The reported patch that acknowledges every property of {@code desired} (a desired patch, or the desired
     * properties of a fetched twin): its value, {@link #ACCEPTED}, the desired {@code $version} and the
     * description. A property set to null (removed by the back end) has nothing to acknowledge and is left out.
     */
    public static TwinCollection acknowledgementOf(TwinCollection desired, String description) {
        TwinCollection reported = new TwinCollection();
        for (Map.Entry<String, Object> property : desired.entrySet()) {
            if (property.getValue() == null) {
                continue;
            }
            TwinCollection acknowledgement = new TwinCollection();
            acknowledgement.put("value", property.getValue());
            acknowledgement.put("ac", ACCEPTED);
            acknowledgement.put("av", desired.getVersion());
            acknowledgement.put("ad", description);
            reported.put(property.getKey(), acknowledgement);
        }
        return reported;
    }

    /** Reports the acknowledgement of {@code desired}; returns the reported {@code $version} the hub answered with. */
    public static int acknowledge(DeviceClient device, TwinCollection desired) throws IotHubClientException, InterruptedException {
        TwinCollection reported = acknowledgementOf(desired, "applied");
        for (int attempt = 1; ; attempt++) {
            try {
                return device.updateReportedProperties(reported, TWIN_TIMEOUT_MILLIS).getVersion();
            } catch (IotHubClientException e) {
                if (e.getStatusCode() != IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
