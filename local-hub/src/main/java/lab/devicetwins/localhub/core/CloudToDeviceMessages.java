package lab.devicetwins.localhub.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.messaging.CloudToDeviceMessage;
import lab.devicetwins.localhub.messaging.CloudToDeviceRequest;
import lab.devicetwins.localhub.registry.IdentityKey;

/**
 * The devices' queues of cloud-to-device messages, as IoT Hub keeps them: at most {@link #MAX_QUEUED_PER_DEVICE} per
 * device, each until it is completed (over MQTT: its PUBACK), expires, or has been delivered
 * {@link #MAX_DELIVERY_COUNT} times without completion. A message is acknowledged to the sender only once it is
 * committed, and stays committed until it is completed, so neither a restart nor {@code kill -9} loses one; a
 * message whose PUBACK was lost with its connection is delivered again (at least once, as on IoT Hub).
 */
public final class CloudToDeviceMessages {
    private static final Logger LOG = Logger.getLogger(CloudToDeviceMessages.class.getName());
    /** IoT Hub's limit of messages queued for one device. */
    public static final int MAX_QUEUED_PER_DEVICE = 50;
    /** IoT Hub's default (a hub setting there) number of deliveries before a message is given up. */
    public static final int MAX_DELIVERY_COUNT = 10;

    /** The device side: told when a device's queue got a message. */
    public interface Devices {
        void messageQueued(String deviceId);
    }

    /** One device's queue: committed messages by sequence number, and slots taken by messages being committed. */
    private static final class Queue {
        final TreeMap<Long, CloudToDeviceMessage> messages = new TreeMap<>();
        int committing;
    }

    private final IdentityRegistry registry;
    private final DeviceDirectory directory;
    private final Clock clock;
    private final Map<String, Queue> queues = new ConcurrentHashMap<>();
    private final AtomicLong sequence;
    private volatile Devices devices = deviceId -> { };

    public CloudToDeviceMessages(IdentityRegistry registry, DeviceDirectory directory) {
        this.registry = registry;
        this.directory = directory;
        this.clock = directory.clock();
        long last = 0;
        for (CloudToDeviceMessage stored : directory.storedCloudToDeviceMessages()) {
            queues.computeIfAbsent(stored.deviceId(), id -> new Queue()).messages.put(stored.sequenceNumber(), stored);
            last = Math.max(last, stored.sequenceNumber());
        }
        this.sequence = new AtomicLong(last);
    }

    public void setDevices(Devices devices) {
        this.devices = devices;
    }

    /**
     * Queues a message for a device; completes with it once committed.
     *
     * @throws HubException 404001 for an unknown device, 400 for a module (IoT Hub sends modules no cloud-to-device
     *                      messages), 403004 when its queue is full, and {@link CloudToDeviceRequest#toMessage}'s
     */
    public CompletableFuture<CloudToDeviceMessage> send(String deviceId, CloudToDeviceRequest request) {
        if (IdentityKey.isModule(deviceId)) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "IoT Hub sends cloud-to-device messages to devices, "
                    + "not to modules");
        }
        registry.require(deviceId);
        Instant now = clock.instant();
        CloudToDeviceMessage message;
        Queue queue = queues.computeIfAbsent(deviceId, id -> new Queue());
        List<CloudToDeviceMessage> expired;
        synchronized (queue) {
            expired = dropExpired(queue, now);
            if (queue.messages.size() + queue.committing >= MAX_QUEUED_PER_DEVICE) {
                throw new HubException(HubErrorCode.DEVICE_MAXIMUM_QUEUE_DEPTH_EXCEEDED, "device '" + deviceId
                        + "' already has " + MAX_QUEUED_PER_DEVICE + " cloud-to-device messages queued, IoT Hub's limit;"
                        + " it takes them when it connects and completes them");
            }
            message = request.toMessage(deviceId, sequence.incrementAndGet(), now);
            queue.committing++;
        }
        deleteAll(expired);
        return directory.saveCloudToDeviceMessage(message).whenComplete((v, failure) -> {
            synchronized (queue) {
                queue.committing--;
                if (failure == null) {
                    queue.messages.put(message.sequenceNumber(), message);
                }
            }
        }).thenApply(v -> {
            devices.messageQueued(deviceId);
            return message;
        });
    }

    /** The device's messages that may be delivered now, oldest first; expired ones leave the queue. */
    public List<CloudToDeviceMessage> deliverable(String deviceId) {
        Queue queue = queues.get(deviceId);
        if (queue == null) {
            return List.of();
        }
        List<CloudToDeviceMessage> expired;
        List<CloudToDeviceMessage> deliverable;
        synchronized (queue) {
            expired = dropExpired(queue, clock.instant());
            deliverable = List.copyOf(queue.messages.values());
        }
        deleteAll(expired);
        return deliverable;
    }

    /** How many messages the device has queued (expired ones not counted). */
    public int queued(String deviceId) {
        return deliverable(deviceId).size();
    }

    /**
     * A delivery of a queued message starts: counted, and refused (the message leaves the queue) once it has been
     * delivered {@link #MAX_DELIVERY_COUNT} times. Empty when the message is no longer queued or was given up.
     */
    public Optional<CloudToDeviceMessage> startDelivery(String deviceId, long sequenceNumber) {
        Queue queue = queues.get(deviceId);
        if (queue == null) {
            return Optional.empty();
        }
        CloudToDeviceMessage delivered;
        synchronized (queue) {
            CloudToDeviceMessage queued = queue.messages.get(sequenceNumber);
            if (queued == null) {
                return Optional.empty();
            }
            if (queued.deliveryCount() < MAX_DELIVERY_COUNT) {
                delivered = queued.delivered();
                queue.messages.put(sequenceNumber, delivered);
                return Optional.of(delivered);
            }
            queue.messages.remove(sequenceNumber);
        }
        LOG.info("gave up cloud-to-device message " + sequenceNumber + " of '" + deviceId + "' after "
                + MAX_DELIVERY_COUNT + " deliveries without completion");
        directory.deleteCloudToDeviceMessage(deviceId, sequenceNumber);
        return Optional.empty();
    }

    /** The device completed the message (over MQTT: acknowledged its PUBLISH); it leaves the queue. */
    public CompletableFuture<Void> complete(String deviceId, long sequenceNumber) {
        Queue queue = queues.get(deviceId);
        boolean removed;
        if (queue == null) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (queue) {
            removed = queue.messages.remove(sequenceNumber) != null;
        }
        return removed ? directory.deleteCloudToDeviceMessage(deviceId, sequenceNumber)
                : CompletableFuture.completedFuture(null);
    }

    /** The device was deleted: its queue goes (the store deletes its messages with the device). */
    public void forget(String deviceId) {
        queues.remove(deviceId);
    }

    private static List<CloudToDeviceMessage> dropExpired(Queue queue, Instant now) {
        List<CloudToDeviceMessage> expired = new ArrayList<>();
        queue.messages.values().removeIf(m -> {
            if (m.expiredAt(now)) {
                expired.add(m);
                return true;
            }
            return false;
        });
        return expired;
    }

    private void deleteAll(List<CloudToDeviceMessage> messages) {
        messages.forEach(m -> directory.deleteCloudToDeviceMessage(m.deviceId(), m.sequenceNumber()));
    }
}
