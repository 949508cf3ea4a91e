package lab.devicetwins.tutorial.device;

import java.time.Duration;

import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;

import lab.devicetwins.tutorial.shared.DeviceProtocol;
import lab.devicetwins.tutorial.shared.TargetHub;

/**
 * Runs {@link DeviceApp} against the hub the tutorial finds ({@code ./mvnw -q -pl 01-device-app exec:java}): the
 * one the environment variables name, or the local hub running in another terminal, whose CA it then trusts.
 * Kept out of DeviceApp so that class stays what a learner copies: the SDK and nothing else.
 *
 * <p>{@code -Dexec.args=30} stops the app after 30 seconds; without it, it runs until Ctrl+C.
 */
public final class DeviceAppLauncher {

    private DeviceAppLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Duration runFor = args.length > 0 ? Duration.ofSeconds(Long.parseLong(args[0])) : null;
        IotHubClientProtocol protocol = DeviceProtocol.fromEnvironment(); // IOTHUB_DEVICE_PROTOCOL=MQTT_WS: port 443
        try (TargetHub hub = TargetHub.resolve();
             DeviceApp app = new DeviceApp(hub.deviceConnectionString(), protocol, hub.deviceClientOptions(protocol),
                     "cellular", System.out)) {
            try {
                app.run(runFor);
            } catch (IotHubClientException e) {
                // exec:java closes the app's class loader before Maven prints a failure, and the SDK's MQTT
                // exceptions cannot render their message without it: hand Maven the messages, not the exceptions.
                if (e.getStatusCode() == IotHubStatusCode.UNAUTHORIZED) {
                    throw new IllegalStateException("The hub refused this device's credentials: check DeviceId and"
                            + " SharedAccessKey in IOTHUB_DEVICE_CONNECTION_STRING (from " + hub.description() + ")");
                }
                throw new IllegalStateException("The device app failed talking to " + hub.description() + ": "
                        + messages(e));
            }
        }
    }

    /** The messages of an exception and its causes, outermost first. */
    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && text.indexOf(t.getMessage()) < 0) {
                text.append(text.length() == 0 ? "" : " <- ").append(t.getMessage());
            }
        }
        return text.toString();
    }
}
