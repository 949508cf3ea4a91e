package lab.devicetwins.localhub.store;

import java.util.Map;
import java.util.Objects;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.twin.TwinDocument;

/** One change to persist. Ops are applied in the order they were submitted. */
public sealed interface StoreOp {

    /** Inserts or replaces a device: its registry record and its twin. */
    record SaveDevice(DeviceIdentity identity, TwinDocument twin) implements StoreOp {
        public SaveDevice {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(twin, "twin");
        }

        public String deviceId() {
            return identity.deviceId();
        }
    }

    /**
     * Replaces the twin of a stored device and leaves its registry record as stored: what a twin write changes
     * (a device's last activity, which such a write also moves, is saved with its next record change, as all
     * activity is). A device the store does not hold is left absent.
     */
    record SaveTwin(String deviceId, TwinDocument twin) implements StoreOp {
        public SaveTwin {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(twin, "twin");
        }
    }

    /** Removes a device, its twin and its MQTT session. */
    record DeleteDevice(String deviceId) implements StoreOp {
    }

    /** Inserts or replaces the persistent MQTT session (topic filter to granted QoS) of a client id. */
    record SaveSession(String clientId, Map<String, Integer> subscriptions) implements StoreOp {
        public SaveSession {
            subscriptions = Map.copyOf(subscriptions);
        }
    }

    /** Forgets a client id's MQTT session (CleanSession = 1). */
    record DeleteSession(String clientId) implements StoreOp {
    }
}
