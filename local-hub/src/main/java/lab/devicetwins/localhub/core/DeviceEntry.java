package lab.devicetwins.localhub.core;

import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.twin.TwinDocument;

/**
 * The live state of one device: registry record and twin. Readers take the current values without locking (both are
 * immutable); writers change them while holding the entry's monitor, so the order of changes is the order they are
 * queued for the database.
 */
final class DeviceEntry {
    private volatile DeviceIdentity identity;
    private volatile TwinDocument twin;
    private volatile boolean removed;

    DeviceEntry(DeviceIdentity identity, TwinDocument twin) {
        this.identity = identity;
        this.twin = twin;
    }

    DeviceIdentity identity() {
        return identity;
    }

    TwinDocument twin() {
        return twin;
    }

    boolean removed() {
        return removed;
    }

    /** A change of the registry record only; the twin stays. */
    void setIdentity(DeviceIdentity identity) {
        this.identity = identity;
    }

    /** A change that may touch the twin: only {@link DeviceDirectory#update}, which keeps the indexes current. */
    void set(DeviceIdentity identity, TwinDocument twin) {
        this.identity = identity;
        this.twin = twin;
    }

    void markRemoved() {
        this.removed = true;
    }
}
