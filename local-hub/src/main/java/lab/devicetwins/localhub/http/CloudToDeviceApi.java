package lab.devicetwins.localhub.http;

import static io.vertx.core.http.HttpMethod.POST;
import static lab.devicetwins.localhub.auth.AccessRight.SERVICE_CONNECT;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import lab.devicetwins.localhub.core.CloudToDeviceMessages;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.messaging.CloudToDeviceRequest;
import lab.devicetwins.localhub.realism.Operation;

/**
 * The local hub's own way to send a cloud-to-device message (IoT Hub's is AMQP only, which the local hub does not
 * speak): {@code POST /localhub/devices/{id}/messages/devicebound} with
 * {@code {"body":"text"} or {"bodyBase64":"…"}} and optionally {@code messageId, correlationId, contentType,
 * contentEncoding, ack, properties {name: value}, expiryTimeUtc}. The answer, once the message is committed to the
 * device's queue, names it: {@code messageId, sequenceNumber, enqueuedTimeUtc, expiryTimeUtc}. Sending to a device
 * needs ServiceConnect on it, as IoT Hub's sender does.
 */
final class CloudToDeviceApi {
    private static final Set<String> MEMBERS = Set.of("body", "bodyBase64", "messageId", "correlationId", "contentType",
            "contentEncoding", "ack", "properties", "expiryTimeUtc");

    private final CloudToDeviceMessages messages;

    CloudToDeviceApi(CloudToDeviceMessages messages) {
        this.messages = messages;
    }

    List<ServiceRoute> routes() {
        return ServiceRoute.metered(Operation.CLOUD_TO_DEVICE,
                List.of(ServiceRoute.of(POST, "/localhub/devices/{id}/messages/devicebound", SERVICE_CONNECT,
                "devices/{id}", this::send)));
    }

    private CompletableFuture<Reply> send(ServiceRequest request) {
        CloudToDeviceRequest message = parse(RequestJson.parse(request.body()));
        return messages.send(request.param("id"), message).thenApply(sent -> {
            JsonObject body = new JsonObject();
            body.addProperty("messageId", sent.messageId());
            body.addProperty("sequenceNumber", sent.sequenceNumber());
            body.addProperty("enqueuedTimeUtc", sent.enqueuedTime().toString());
            body.addProperty("expiryTimeUtc", sent.expiry().toString());
            return Reply.json(body);
        });
    }

    static CloudToDeviceRequest parse(JsonElement json) {
        if (!json.isJsonObject()) {
            throw invalid("the body must be a JSON object, e.g. {\"body\":\"hello\",\"properties\":{\"k\":\"v\"}}");
        }
        JsonObject o = json.getAsJsonObject();
        for (String name : o.keySet()) {
            if (!MEMBERS.contains(name)) {
                throw invalid("unknown member '" + name + "'; a message has " + String.join(", ", MEMBERS.stream()
                        .sorted().toList()));
            }
        }
        String text = string(o, "body");
        String base64 = string(o, "bodyBase64");
        if ((text == null) == (base64 == null)) {
            throw invalid("give the message's body as exactly one of 'body' (text, sent as UTF-8) and 'bodyBase64'");
        }
        byte[] body;
        if (text != null) {
            body = text.getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                body = Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw invalid("'bodyBase64' is not base64: " + e.getMessage());
            }
        }
        Map<String, String> properties = new LinkedHashMap<>();
        JsonElement props = o.get("properties");
        if (props != null && !props.isJsonNull()) {
            if (!props.isJsonObject()) {
                throw invalid("'properties' must be an object of names to string values");
            }
            for (String name : props.getAsJsonObject().keySet()) {
                JsonElement value = props.getAsJsonObject().get(name);
                if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                    throw invalid("property '" + name + "' must have a string value");
                }
                properties.put(name, value.getAsString());
            }
        }
        Instant expiry = null;
        String expiryText = string(o, "expiryTimeUtc");
        if (expiryText != null) {
            try {
                expiry = Instant.parse(expiryText);
            } catch (DateTimeParseException e) {
                throw invalid("'expiryTimeUtc' must be an ISO-8601 UTC time such as 2026-12-02T10:00:00Z");
            }
        }
        return new CloudToDeviceRequest(body, string(o, "messageId"), string(o, "correlationId"),
                string(o, "contentType"), string(o, "contentEncoding"), string(o, "ack"), properties, expiry);
    }

    private static String string(JsonObject o, String name) {
        JsonElement value = o.get(name);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw invalid("'" + name + "' must be a string");
        }
        return value.getAsString();
    }

    private static HubException invalid(String message) {
        return new HubException(HubErrorCode.ARGUMENT_INVALID, message);
    }
}
