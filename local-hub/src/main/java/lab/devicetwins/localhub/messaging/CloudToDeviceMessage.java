package lab.devicetwins.localhub.messaging;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A cloud-to-device message in a device's queue: what the back end sent (body, message and correlation id, content
 * type and encoding, the acknowledgement it asked for, application properties in order) and what the hub adds (a
 * sequence number that orders the queue, the time it was queued, its expiry, how often it was delivered).
 */
public record CloudToDeviceMessage(String deviceId, long sequenceNumber, String messageId, String correlationId,
                                   String contentType, String contentEncoding, String ack,
                                   Map<String, String> properties, byte[] body, Instant enqueuedTime, Instant expiry,
                                   int deliveryCount) {

    public CloudToDeviceMessage {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(ack, "ack");
        Objects.requireNonNull(enqueuedTime, "enqueuedTime");
        Objects.requireNonNull(expiry, "expiry");
        properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiry);
    }

    /** The same message, delivered once more. */
    public CloudToDeviceMessage delivered() {
        return new CloudToDeviceMessage(deviceId, sequenceNumber, messageId, correlationId, contentType,
                contentEncoding, ack, properties, body, enqueuedTime, expiry, deliveryCount + 1);
    }

    /** The size IoT Hub's 64 KB limit applies to: the body and the application properties, in UTF-8. */
    public int size() {
        int size = body.length;
        for (Map.Entry<String, String> p : properties.entrySet()) {
            size += utf8Length(p.getKey()) + utf8Length(p.getValue());
        }
        return size;
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloudToDeviceMessage m && deviceId.equals(m.deviceId) && sequenceNumber == m.sequenceNumber
                && messageId.equals(m.messageId) && Objects.equals(correlationId, m.correlationId)
                && Objects.equals(contentType, m.contentType) && Objects.equals(contentEncoding, m.contentEncoding)
                && ack.equals(m.ack) && properties.equals(m.properties) && Arrays.equals(body, m.body)
                && enqueuedTime.equals(m.enqueuedTime) && expiry.equals(m.expiry) && deliveryCount == m.deliveryCount;
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, sequenceNumber, messageId);
    }

    @Override
    public String toString() {
        return "CloudToDeviceMessage[" + deviceId + " #" + sequenceNumber + " " + messageId + ", " + body.length
                + " bytes]";
    }
}
