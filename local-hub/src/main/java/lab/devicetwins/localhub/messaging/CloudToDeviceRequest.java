package lab.devicetwins.localhub.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/**
 * What a back end asks to send to a device, before the hub queues it; {@link #toMessage} applies IoT Hub's rules.
 * Null fields are unset: the hub then makes a message id, asks for no acknowledgement and gives the default
 * time to live.
 */
public record CloudToDeviceRequest(byte[] body, String messageId, String correlationId, String contentType,
                                   String contentEncoding, String ack, Map<String, String> properties,
                                   Instant expiry) {
    /** IoT Hub's largest cloud-to-device message. */
    public static final int MAX_SIZE_BYTES = 64 * 1024;
    /** IoT Hub's default time to live of a cloud-to-device message (a hub setting there; fixed here). */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** The longest time to live IoT Hub allows. */
    public static final Duration MAX_TTL = Duration.ofDays(2);
    /** The acknowledgements a back end may ask for, as IoT Hub's docs spell them. */
    public static final Set<String> ACKS = Set.of("none", "positive", "negative", "full");
    /** Longest message or correlation id, as for IoT Hub's message ids. */
    public static final int MAX_ID_LENGTH = 128;

    public CloudToDeviceRequest {
        body = body == null ? new byte[0] : body.clone();
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * The message this request becomes at {@code now} as number {@code sequenceNumber} of the hub.
     *
     * @throws HubException 400 (ArgumentInvalid) for an id, acknowledgement, property name or expiry IoT Hub refuses,
     *                      413 (MessageTooLarge) over {@link #MAX_SIZE_BYTES}
     */
    public CloudToDeviceMessage toMessage(String deviceId, long sequenceNumber, Instant now) {
        String id = messageId == null ? UUID.randomUUID().toString() : checkedId("messageId", messageId);
        if (correlationId != null) {
            checkedId("correlationId", correlationId);
        }
        String acknowledgement = ack == null ? "none" : ack;
        if (!ACKS.contains(acknowledgement)) {
            throw invalid("'ack' must be one of none, positive, negative, full; not '" + ack + "'");
        }
        for (String name : properties.keySet()) {
            if (name.isEmpty() || name.startsWith("$") || name.regionMatches(true, 0, "iothub-", 0, 7)) {
                throw invalid("property name '" + name + "' is not allowed: names must be non-empty and may not start "
                        + "with '$' or 'iothub-', which IoT Hub keeps for its own properties");
            }
            if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || properties.get(name).chars()
                    .anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw invalid("property '" + name + "' holds a control character");
            }
        }
        Instant expires = expiry == null ? now.plus(DEFAULT_TTL) : expiry;
        if (!expires.isAfter(now)) {
            throw invalid("the expiry " + expires + " is not in the future");
        }
        if (expires.isAfter(now.plus(MAX_TTL))) {
            throw invalid("the expiry " + expires + " is more than two days away, IoT Hub's longest time to live");
        }
        CloudToDeviceMessage message = new CloudToDeviceMessage(deviceId, sequenceNumber, id, correlationId,
                contentType, contentEncoding, acknowledgement, properties, body, now, expires, 0);
        if (message.size() > MAX_SIZE_BYTES) {
            throw new HubException(HubErrorCode.MESSAGE_TOO_LARGE, "the message is " + message.size()
                    + " bytes (body and properties); IoT Hub's limit for cloud-to-device messages is " + MAX_SIZE_BYTES);
        }
        return message;
    }

    private static String checkedId(String field, String value) {
        if (value.isEmpty() || value.length() > MAX_ID_LENGTH || value.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw invalid("'" + field + "' must be 1 to " + MAX_ID_LENGTH + " printable ASCII characters");
        }
        return value;
    }

    private static HubException invalid(String message) {
        return new HubException(HubErrorCode.ARGUMENT_INVALID, message);
    }
}
