package lab.devicetwins.localhub.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import lab.devicetwins.localhub.core.CloudToDeviceMessages;
import lab.devicetwins.localhub.messaging.CloudToDeviceMessage;

/**
 * Cloud-to-device delivery on one MQTT connection: the device's queued messages go out in order, at most
 * {@link #IN_FLIGHT} unacknowledged at a time, each at the QoS its subscription was granted; a PUBACK completes its
 * message (and a QoS 0 delivery completes when written). What is unacknowledged when the connection ends stays
 * queued for the next one. Used on the connection's event loop only.
 */
final class DeviceboundDelivery {
    static final int IN_FLIGHT = 10;

    private final MqttEndpoint endpoint;
    private final String deviceId;
    private final CloudToDeviceMessages messages;
    private final Map<Integer, Long> byPacketId = new HashMap<>();
    private final Set<Long> inFlight = new HashSet<>();

    DeviceboundDelivery(MqttEndpoint endpoint, String deviceId, CloudToDeviceMessages messages) {
        this.endpoint = endpoint;
        this.deviceId = deviceId;
        this.messages = messages;
    }

    /** Sends what is queued and not in flight, when the session holds a grant for the devicebound filter. */
    void deliverPending(MqttQoS granted) {
        if (granted == null || !endpoint.isConnected()) {
            return;
        }
        for (CloudToDeviceMessage queued : messages.deliverable(deviceId)) {
            if (inFlight.size() >= IN_FLIGHT) {
                return;
            }
            if (inFlight.contains(queued.sequenceNumber())) {
                continue;
            }
            messages.startDelivery(deviceId, queued.sequenceNumber()).ifPresent(message -> send(message, granted));
        }
    }

    private void send(CloudToDeviceMessage message, MqttQoS granted) {
        long sequenceNumber = message.sequenceNumber();
        inFlight.add(sequenceNumber);
        endpoint.publish(TwinTopics.devicebound(message), Buffer.buffer(message.body()), granted, false, false)
                .onSuccess(packetId -> {
                    if (granted == MqttQoS.AT_MOST_ONCE) {
                        inFlight.remove(sequenceNumber);
                        messages.complete(deviceId, sequenceNumber);
                    } else {
                        byPacketId.put(packetId, sequenceNumber);
                    }
                })
                .onFailure(e -> inFlight.remove(sequenceNumber));
    }

    /**
     * A PUBACK from the device. Whatever the app decided (the Java SDK acknowledges completed, abandoned and rejected
     * messages alike), over MQTT it completes the message. Acknowledgements of other publishes are not ours.
     */
    void acknowledged(int packetId, MqttQoS granted) {
        Long sequenceNumber = byPacketId.remove(packetId);
        if (sequenceNumber != null) {
            inFlight.remove(sequenceNumber);
            messages.complete(deviceId, sequenceNumber);
            deliverPending(granted);
        }
    }
}
