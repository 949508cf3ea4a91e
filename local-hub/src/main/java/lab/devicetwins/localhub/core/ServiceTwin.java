package lab.devicetwins.localhub.core;

import java.util.Objects;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.twin.TwinDocument;

/** A twin as the service side reads it: the device's registry facts and its twin document, taken together. */
public record ServiceTwin(DeviceIdentity identity, TwinDocument twin) {
    public ServiceTwin {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(twin, "twin");
    }
}
