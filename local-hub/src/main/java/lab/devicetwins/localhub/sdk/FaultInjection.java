package lab.devicetwins.localhub.sdk;

import com.microsoft.azure.sdk.iot.device.Message;
import java.util.UUID;
import lab.devicetwins.localhub.core.ConnectionFaults;

/**
 * The fault-injection message IoT Hub's SDK test suites send, for a device SDK client: a telemetry message whose
 * application properties ask the hub to end the connection after {@code delaySeconds} and refuse it for
 * {@code durationSeconds}. Like those suites, it gives the message a one-second expiry: the hub does not acknowledge
 * it, so the sender should not wait for its send result. As {@link DeviceTwinRequests}, for callers that bring
 * {@code iot-device-client} themselves.
 */
public final class FaultInjection {
    private FaultInjection() {
    }

    /** {@code type}: {@code KillTcp} or {@code ShutDownMqtt} over MQTT; {@code closeReason} as the suites use it. */
    public static Message message(String type, String closeReason, int delaySeconds, int durationSeconds) {
        Message fault = new Message(UUID.randomUUID().toString());
        fault.setProperty(ConnectionFaults.TYPE, type);
        fault.setProperty(ConnectionFaults.CLOSE_REASON, closeReason);
        fault.setProperty(ConnectionFaults.DELAY, Integer.toString(delaySeconds));
        fault.setProperty(ConnectionFaults.DURATION, Integer.toString(durationSeconds));
        fault.setExpiryTime(1000);
        return fault;
    }
}
