package lab.devicetwins.localhub.mqtt;

import java.time.Duration;
import java.util.Objects;
import lab.devicetwins.localhub.core.IdentityPropagation;
import lab.devicetwins.localhub.realism.Throttles;

/**
 * What realistic mode changes on the device side: the throttles of new connections, device-to-cloud sends and twin
 * operations, the moment a new identity cannot connect yet, and how long after its token's expiry a connected device
 * is disconnected.
 */
public record DeviceSideRealism(Throttles throttles, IdentityPropagation propagation, Duration connectedTokenGrace) {

    public DeviceSideRealism {
        Objects.requireNonNull(throttles, "throttles");
        Objects.requireNonNull(propagation, "propagation");
        Objects.requireNonNull(connectedTokenGrace, "connectedTokenGrace");
    }
}
