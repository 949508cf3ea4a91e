package lab.devicetwins.localhub.sdk;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import java.util.Map;
import java.util.Objects;

/**
 * Reported-property updates that survive iot-device-client 2.5.0 losing a response (Azure/azure-iot-sdk-java#1803,
 * contract §9). An update is not idempotent (each one bumps the reported {@code $version}), so after a timeout this
 * reads the twin to learn whether the update landed before sending it again. Error statuses are thrown at once.
 */
public final class TwinWrites {
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int ATTEMPTS = 5;

    private TwinWrites() {
    }

    /** Sends the patch; returns the new reported {@code $version} as the hub answered it. */
    public static int updateReported(DeviceClient device, TwinCollection patch)
            throws InterruptedException, IotHubClientException {
        int before = TwinReads.get(device).getReportedProperties().getVersion();
        IotHubClientException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return device.updateReportedProperties(patch, TIMEOUT_MILLIS).getVersion();
            } catch (IotHubClientException e) {
                if (e.getStatusCode() != IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT) {
                    throw e;
                }
                last = e;
            }
            TwinCollection now = TwinReads.get(device).getReportedProperties();
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
