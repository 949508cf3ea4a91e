package lab.devicetwins.tutorial.shared;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The two kinds of IoT Hub connection string, told apart where they are read. The SDKs' own parsers would refuse a
 * swapped string too, but only with "Device ID cannot be null." or "SharedAccessKeyName cannot be null or empty",
 * which does not say which variable holds the wrong one.
 */
final class ConnectionStringShape {

    static final String DEVICE_SHAPE = "HostName=...;DeviceId=...;SharedAccessKey=...";
    static final String POLICY_SHAPE = "HostName=...;SharedAccessKeyName=...;SharedAccessKey=...";

    private ConnectionStringShape() {
    }

    /**
     * Checks that {@code value}, read from {@code variable}, is a device's connection string.
     *
     * @throws IllegalArgumentException naming the variable and what is wrong with its value
     */
    static String device(String variable, String value) {
        Map<String, String> parts = parts(value);
        if (parts.containsKey("sharedaccesskeyname")) {
            throw new IllegalArgumentException(variable + " holds a shared access policy's connection string"
                    + " (it has SharedAccessKeyName=); it needs a device's: " + DEVICE_SHAPE
                    + ". The policy's string belongs in IOTHUB_SERVICE_CONNECTION_STRING or IOTHUB_CONNECTION_STRING.");
        }
        require(variable, parts, DEVICE_SHAPE, "hostname", "deviceid", "sharedaccesskey");
        return value;
    }

    /**
     * Checks that {@code value}, read from {@code variable}, is a shared access policy's connection string.
     *
     * @throws IllegalArgumentException naming the variable and what is wrong with its value
     */
    static String policy(String variable, String value) {
        Map<String, String> parts = parts(value);
        if (parts.containsKey("deviceid")) {
            throw new IllegalArgumentException(variable + " holds a device's connection string (it has DeviceId=);"
                    + " it needs a shared access policy's: " + POLICY_SHAPE
                    + ". The device's string belongs in IOTHUB_DEVICE_CONNECTION_STRING.");
        }
        require(variable, parts, POLICY_SHAPE, "hostname", "sharedaccesskeyname", "sharedaccesskey");
        return value;
    }

    private static void require(String variable, Map<String, String> parts, String shape, String... keys) {
        for (String key : keys) {
            if (parts.getOrDefault(key, "").isEmpty()) {
                throw new IllegalArgumentException(variable + " has no " + spelled(key) + " value; expected " + shape);
            }
        }
    }

    private static String spelled(String key) {
        return switch (key) {
            case "hostname" -> "HostName=";
            case "deviceid" -> "DeviceId=";
            case "sharedaccesskeyname" -> "SharedAccessKeyName=";
            default -> "SharedAccessKey=";
        };
    }

    /** Key (lower case, as the SDKs compare them) to value; only the first '=' of a part separates. */
    private static Map<String, String> parts(String connectionString) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : connectionString.split(";")) {
            int separator = part.indexOf('=');
            if (separator > 0) {
                parts.put(part.substring(0, separator).strip().toLowerCase(Locale.ROOT), part.substring(separator + 1).strip());
            }
        }
        return parts;
    }
}
