package lab.devicetwins.localhub.store;

import java.util.Objects;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.twin.TwinDocument;

/** An identity (device or module) as the store keeps it: its registry record and its twin. */
public record StoredDevice(DeviceIdentity identity, TwinDocument twin) {
    public StoredDevice {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(twin, "twin");
    }

    /** The identity's {@link lab.devicetwins.localhub.registry.IdentityKey key}. */
    public String key() {
        return identity.key();
    }
}
