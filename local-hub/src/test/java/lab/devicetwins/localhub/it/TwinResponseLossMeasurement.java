package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Not a test but a measurement, run on demand with {@code -Dlocalhub.measure=true}: how often iot-device-client 2.5.0
 * loses the response to a synchronous twin call against this hub (Azure/azure-iot-sdk-java#1803, contract §9). The hub
 * answers every request (the raw-client tests prove that); a timeout here is the SDK dropping the answer.
 * {@code -Dlocalhub.measure.calls} (default 500) and {@code -Dlocalhub.measure.timeoutMillis} (default 2000) tune it.
 *
 * <p>Figures on a loaded 2-core machine, 500 sequential calls each: with twin responses at QoS 1 (the request's QoS),
 * getTwin lost 0.6–2.4 % and updateReportedProperties 0–1.4 %, ~45 ms per call; at QoS 0 (what the hub does now) none
 * in 3,500 calls of each kind, ~11 ms per call, and none in 200 first calls after open. Whether the PUBACK goes before
 * or after the response made no clear difference. Losses at QoS 0 are rare, not impossible: a full test run once lost
 * the first reported update of a connection, hence TwinReads and TwinWrites in the tests.
 */
@EnabledIfSystemProperty(named = "localhub.measure", matches = "true")
class TwinResponseLossMeasurement {
    private static final int CALLS = Integer.getInteger("localhub.measure.calls", 500);
    private static final int TIMEOUT_MILLIS = Integer.getInteger("localhub.measure.timeoutMillis", 2000);

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    @Test
    void count_lost_twin_responses() throws Exception {
        OfficialSdks sdks = new OfficialSdks(localHub.hub());
        String deviceId = "loss-measurement";
        sdks.registry().addDevice(new Device(deviceId));
        DeviceClient device = sdks.device(deviceId);
        device.open(false);
        try {
            device.subscribeToDesiredProperties((twin, ctx) -> { }, null);
            int lostGets = 0;
            long start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                lostGets += timedOut(() -> device.getTwin(TIMEOUT_MILLIS)) ? 1 : 0;
            }
            long getMillis = (System.nanoTime() - start) / 1_000_000;
            int lostPatches = 0;
            start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                TwinCollection reported = new TwinCollection();
                reported.put("counter", i);
                lostPatches += timedOut(() -> device.updateReportedProperties(reported, TIMEOUT_MILLIS)) ? 1 : 0;
            }
            long patchMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("MEASUREMENT calls=%d timeout=%dms: getTwin lost %d (%.1f%%) in %d ms; "
                            + "updateReportedProperties lost %d (%.1f%%) in %d ms%n", CALLS, TIMEOUT_MILLIS,
                    lostGets, 100.0 * lostGets / CALLS, getMillis, lostPatches, 100.0 * lostPatches / CALLS, patchMillis);
            // whatever was lost, the client must still be usable
            assertThat(DeviceTwinRequests.getTwin(device).getReportedProperties()).containsEntry("counter", (long) (CALLS - 1));
        } finally {
            device.close();
            sdks.registry().removeDevice(deviceId);
        }
    }

    /** The pattern of most tests and samples: open, subscribe, one twin call, close. */
    @Test
    void count_lost_first_responses_after_open() throws Exception {
        OfficialSdks sdks = new OfficialSdks(localHub.hub());
        String deviceId = "first-call-measurement";
        sdks.registry().addDevice(new Device(deviceId));
        int connections = Math.max(1, CALLS / 5);
        int lostPatches = 0;
        int lostGets = 0;
        try {
            for (int i = 0; i < connections; i++) {
                DeviceClient device = sdks.device(deviceId);
                device.open(false);
                try {
                    device.subscribeToDesiredProperties((twin, ctx) -> { }, null);
                    TwinCollection reported = new TwinCollection();
                    reported.put("connection", i);
                    if (i % 2 == 0) {
                        lostPatches += timedOut(() -> device.updateReportedProperties(reported, TIMEOUT_MILLIS)) ? 1 : 0;
                    } else {
                        lostGets += timedOut(() -> device.getTwin(TIMEOUT_MILLIS)) ? 1 : 0;
                    }
                } finally {
                    device.close();
                }
            }
            System.out.printf("MEASUREMENT first call after open, %d connections: updateReportedProperties lost %d of %d, "
                    + "getTwin lost %d of %d%n", connections, lostPatches, (connections + 1) / 2, lostGets, connections / 2);
        } finally {
            sdks.registry().removeDevice(deviceId);
        }
    }

    interface TwinCall {
        void run() throws Exception;
    }

    private static boolean timedOut(TwinCall call) throws Exception {
        try {
            call.run();
            return false;
        } catch (IotHubClientException e) {
            if (e.getStatusCode() == IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT) {
                return true;
            }
            throw e;
        }
    }
}
