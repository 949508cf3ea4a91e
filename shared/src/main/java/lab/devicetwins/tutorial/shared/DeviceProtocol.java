package lab.devicetwins.tutorial.shared;

import java.util.Locale;
import java.util.Map;

import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;

/**
 * Which protocol the tutorial's device apps use: {@code IOTHUB_DEVICE_PROTOCOL}, {@code MQTT} (port 8883, the
 * default) or {@code MQTT_WS} (MQTT over WebSockets on port 443, for networks that block 8883). The twin calls are
 * the same with either; AMQP and HTTPS are not offered, the local hub speaks neither to devices.
 */
public final class DeviceProtocol {

    /** The environment variable read. */
    public static final String VARIABLE = "IOTHUB_DEVICE_PROTOCOL";

    private DeviceProtocol() {
    }

    /** From the process's environment. */
    public static IotHubClientProtocol fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * From these variables: unset or blank is MQTT; the value is read without regard to case.
     *
     * @throws IllegalArgumentException for any other value, naming the variable and the two choices
     */
    public static IotHubClientProtocol fromEnvironment(Map<String, String> environment) {
        String value = environment.get(VARIABLE);
        if (value == null || value.isBlank()) {
            return IotHubClientProtocol.MQTT;
        }
        switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "MQTT":
                return IotHubClientProtocol.MQTT;
            case "MQTT_WS":
                return IotHubClientProtocol.MQTT_WS;
            default:
                throw new IllegalArgumentException(VARIABLE + " is '" + value + "': set it to MQTT (port 8883, the"
                        + " default) or MQTT_WS (MQTT over WebSockets on port 443, when 8883 is blocked)");
        }
    }
}
