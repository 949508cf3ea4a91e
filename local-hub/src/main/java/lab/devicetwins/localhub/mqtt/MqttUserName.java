package lab.devicetwins.localhub.mqtt;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a device says about itself in its MQTT user name,
 * {@code {host}/{deviceId}/?api-version=…&DeviceClientType=…&model-id=…}: here the IoT Plug and Play model id.
 */
final class MqttUserName {
    /** The DTMI syntax of DTDL: {@code dtmi:} path segments of letters, digits and underscores, then {@code ;version}. */
    private static final Pattern DTMI = Pattern.compile(
            "dtmi:[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?(?::[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?)*;[1-9][0-9]{0,8}");
    /** DTDL's limit on the length of a DTMI. */
    private static final int MAX_DTMI_LENGTH = 2048;

    private MqttUserName() {
    }

    /**
     * The {@code model-id} query parameter, URL-decoded, when it is a well-formed DTMI; empty when there is none or
     * it is not one (such a device connects as one without a model).
     */
    static Optional<String> modelId(String userName) {
        int query = userName == null ? -1 : userName.indexOf("/?");
        if (query < 0) {
            return Optional.empty();
        }
        for (String parameter : userName.substring(query + 2).split("&")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).equals("model-id")) {
                String value;
                try {
                    value = URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformedEscape) {
                    return Optional.empty();
                }
                return value.length() <= MAX_DTMI_LENGTH && DTMI.matcher(value).matches()
                        ? Optional.of(value) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
