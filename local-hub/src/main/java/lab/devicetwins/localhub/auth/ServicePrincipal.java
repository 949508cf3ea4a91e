package lab.devicetwins.localhub.auth;

import java.time.Instant;
import java.util.Set;

/** A service caller whose token checked out: the policy it signed with, that policy's rights, and the token's expiry. */
public record ServicePrincipal(String policyName, Set<AccessRight> rights, Instant expiry) {

    public ServicePrincipal {
        rights = Set.copyOf(rights);
    }
}
