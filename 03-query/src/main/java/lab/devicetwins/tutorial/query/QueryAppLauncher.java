package lab.devicetwins.tutorial.query;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;

import lab.devicetwins.tutorial.shared.TargetHub;

/**
 * Runs {@link QueryApp} against the hub the tutorial finds ({@code ./mvnw -q -pl 03-query exec:java}): the one the
 * environment variables name, or the local hub running in another terminal, whose CA it then trusts and whose
 * proxy it uses where the hub cannot listen on port 443. Kept out of QueryApp so that class stays what a learner
 * copies.
 */
public final class QueryAppLauncher {

    private QueryAppLauncher() {
    }

    public static void main(String[] args) throws Exception {
        try (TargetHub hub = TargetHub.resolve()) {
            try {
                new QueryApp(hub.serviceConnectionString(), hub.queryClientOptions(), System.out).run();
            } catch (IotHubUnauthorizedException e) {
                throw new IllegalStateException("The hub refused the service credentials: check the key in "
                        + hub.serviceConnectionStringSource() + " (a shared access policy with ServiceConnect)."
                        + " The hub said: " + e.getMessage(), e);
            }
        }
    }
}
