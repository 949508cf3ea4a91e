package lab.devicetwins.localhub.store;

import java.util.Map;
import java.util.Objects;
import lab.devicetwins.localhub.jobs.DeviceJobResult;
import lab.devicetwins.localhub.jobs.Job;
import lab.devicetwins.localhub.messaging.CloudToDeviceMessage;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.twin.TwinDocument;

/** One change to persist. Ops are applied in the order they were submitted. */
public sealed interface StoreOp {

    /** Inserts or replaces an identity (device or module): its registry record and its twin. */
    record SaveDevice(DeviceIdentity identity, TwinDocument twin) implements StoreOp {
        public SaveDevice {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(twin, "twin");
        }

        /** The identity's {@link lab.devicetwins.localhub.registry.IdentityKey key}. */
        public String key() {
            return identity.key();
        }
    }

    /**
     * Replaces the twin of a stored identity (by {@link lab.devicetwins.localhub.registry.IdentityKey key}) and leaves
     * its registry record as stored: what a twin write changes (the last activity, which such a write also moves, is
     * saved with the next record change, as all activity is). An identity the store does not hold is left absent.
     */
    record SaveTwin(String key, TwinDocument twin) implements StoreOp {
        public SaveTwin {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(twin, "twin");
        }
    }

    /**
     * Removes an identity (by {@link lab.devicetwins.localhub.registry.IdentityKey key}), its twin and its MQTT
     * session; for a device, every module of it with their twins and sessions too, and its cloud-to-device messages.
     */
    record DeleteDevice(String key) implements StoreOp {
        public DeleteDevice {
            Objects.requireNonNull(key, "key");
        }
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

    /** Queues a cloud-to-device message (its device and sequence number are its key). */
    record SaveCloudToDeviceMessage(CloudToDeviceMessage message) implements StoreOp {
        public SaveCloudToDeviceMessage {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Removes a cloud-to-device message from its device's queue: delivered, expired or given up on. */
    record DeleteCloudToDeviceMessage(String deviceId, long sequenceNumber) implements StoreOp {
        public DeleteCloudToDeviceMessage {
            Objects.requireNonNull(deviceId, "deviceId");
        }
    }

    /** Inserts or replaces a job (by id): its definition and where it is in its life. */
    record SaveJob(Job job) implements StoreOp {
        public SaveJob {
            Objects.requireNonNull(job, "job");
        }
    }

    /** Inserts or replaces one device's result in a job (by job id and device id). */
    record SaveJobResult(DeviceJobResult result) implements StoreOp {
        public SaveJobResult {
            Objects.requireNonNull(result, "result");
        }
    }
}
