package lab.devicetwins.tutorial.service;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;

import lab.devicetwins.tutorial.shared.TargetHub;

/**
 * Runs {@link ServiceApp} against the hub the tutorial finds ({@code ./mvnw -q -pl 02-service-app exec:java}): the
 * one the environment variables name, or the local hub running in another terminal, whose CA it then trusts and
 * whose proxy it uses where the hub cannot listen on port 443. Kept out of ServiceApp so that class stays what a
 * learner copies.
 *
 * <p>{@code -Dexec.args="myDeviceId 30"} picks the device and the interval; {@code -Dexec.args="myDeviceId null"}
 * removes the desired interval again.
 */
public final class ServiceAppLauncher {

    private ServiceAppLauncher() {
    }

    public static void main(String[] args) throws Exception {
        String deviceId = args.length > 0 ? args[0] : ServiceApp.DEVICE_ID;
        String interval = args.length > 1 ? args[1] : Integer.toString(ServiceApp.TELEMETRY_INTERVAL_SECONDS);
        try (TargetHub hub = TargetHub.resolve()) {
            ServiceApp app = new ServiceApp(hub.serviceConnectionString(), hub.twinClientOptions(), System.out);
            try {
                if (interval.equals("null")) {
                    app.removeDesiredTelemetryInterval(deviceId);
                } else {
                    app.run(deviceId, Integer.parseInt(interval));
                }
            } catch (IotHubUnauthorizedException e) {
                throw new IllegalStateException("The hub refused the service credentials: check the key in "
                        + hub.serviceConnectionStringSource() + " (a shared access policy with ServiceConnect)."
                        + " The hub said: " + e.getMessage(), e);
            }
        }
    }
}
