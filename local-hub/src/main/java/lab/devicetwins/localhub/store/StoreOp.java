package lab.devicetwins.localhub.store;

/** One change to persist. Ops are applied in the order they were submitted. */
public sealed interface StoreOp {

    /** Inserts or replaces a device: its registry record and its twin as the service reads it. */
    record SaveDevice(String deviceId, String identityJson, String twinJson) implements StoreOp {
    }

    /** Removes a device, its twin and its MQTT session. */
    record DeleteDevice(String deviceId) implements StoreOp {
    }

    /** Inserts or replaces the persistent MQTT session (subscriptions) of a client id. */
    record SaveSession(String clientId, String subscriptionsJson) implements StoreOp {
    }

    /** Forgets a client id's MQTT session (CleanSession = 1). */
    record DeleteSession(String clientId) implements StoreOp {
    }
}
