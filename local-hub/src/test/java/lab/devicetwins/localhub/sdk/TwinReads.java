package lab.devicetwins.localhub.sdk;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.Twin;

/**
 * Reads a device's twin the way apps should with iot-device-client 2.5.0: the SDK can lose the response to a
 * {@code getTwin} although the hub sent it (Azure/azure-iot-sdk-java#1803, contract §9), so wait a bounded time and
 * ask again; a GET is idempotent. Only a timeout is retried: an error status from the hub is thrown at once.
 */
public final class TwinReads {
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int ATTEMPTS = 5;

    private TwinReads() {
    }

    public static Twin get(DeviceClient device) throws InterruptedException, IotHubClientException {
        IotHubClientException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return device.getTwin(TIMEOUT_MILLIS);
            } catch (IotHubClientException e) {
                if (e.getStatusCode() != IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }
}
