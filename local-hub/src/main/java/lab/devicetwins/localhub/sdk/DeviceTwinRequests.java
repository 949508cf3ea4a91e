package lab.devicetwins.localhub.sdk;

import com.microsoft.azure.sdk.iot.device.InternalClient;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import java.util.Map;
import java.util.Objects;

/**
 * A device's twin requests made the way tests and tools should make them with iot-device-client 2.5.0, which can lose
 * the answer to a {@code getTwin} or {@code updateReportedProperties} although the hub sent it
 * (Azure/azure-iot-sdk-java#1803): wait a bounded time per attempt and ask again. Only a timeout is retried; an error
 * status from the hub (a 412 for a stale {@code $version}, say) is thrown at once.
 *
 * <p>For code that uses the device SDK against a local hub: the tests of this module, the exercise kit, the
 * end-to-end tests and the benchmarks. The hub never uses it, and local-hub.jar does not contain the SDK: the caller
 * brings {@code iot-device-client}. The tutorial's own apps keep their retry loops in sight, since they teach them.
 */
public final class DeviceTwinRequests {
    /**
     * A local hub answers in milliseconds even on a busy two-core machine, and a lost answer costs this much before
     * the next attempt (in a full build they are lost often enough that 5 s added tens of seconds); five attempts
     * still give a slow answer 10 s.
     */
    private static final int ATTEMPT_TIMEOUT_MILLIS = 2_000;
    private static final int ATTEMPTS = 5;

    private DeviceTwinRequests() {
    }

    /**
     * The device's twin, asked again when the answer does not come (a GET is idempotent). The SDK refuses it before
     * the client has subscribed to desired properties.
     */
    public static Twin getTwin(InternalClient device) throws InterruptedException, IotHubClientException {
        IotHubClientException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return device.getTwin(ATTEMPT_TIMEOUT_MILLIS);
            } catch (IotHubClientException e) {
                if (e.getStatusCode() != IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /**
     * Sends a reported-properties patch and returns the new reported {@code $version} as the hub answered it. An
     * update is not idempotent (each one bumps the {@code $version}), so after a timeout this reads the twin to learn
     * whether the update landed before sending it again.
     */
    public static int updateReportedProperties(InternalClient device, TwinCollection patch)
            throws InterruptedException, IotHubClientException {
        int before = getTwin(device).getReportedProperties().getVersion();
        IotHubClientException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return device.updateReportedProperties(patch, ATTEMPT_TIMEOUT_MILLIS).getVersion();
            } catch (IotHubClientException e) {
                if (e.getStatusCode() != IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT) {
                    throw e;
                }
                last = e;
            }
            TwinCollection now = getTwin(device).getReportedProperties();
            if (now.getVersion() == before + 1 && contains(now, patch)) {
                return now.getVersion(); // the hub applied it; only the answer was lost
            }
        }
        throw last;
    }

    private static boolean contains(TwinCollection reported, TwinCollection patch) {
        for (Map.Entry<String, Object> entry : patch.entrySet()) {
            Object value = reported.get(entry.getKey());
            boolean same = value instanceof Number n && entry.getValue() instanceof Number m
                    ? n.doubleValue() == m.doubleValue() : Objects.equals(value, entry.getValue());
            if (!same) {
                return false;
            }
        }
        return true;
    }
}
