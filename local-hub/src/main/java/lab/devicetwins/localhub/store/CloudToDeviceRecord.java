package lab.devicetwins.localhub.store;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.devicetwins.localhub.messaging.CloudToDeviceMessage;

/**
 * The stored form of a queued cloud-to-device message: a JSON object, the body in base64. The delivery count is not
 * kept: a restart gives every message its full number of deliveries again.
 */
final class CloudToDeviceRecord {
    private CloudToDeviceRecord() {
    }

    static JsonObject write(CloudToDeviceMessage m) {
        JsonObject json = new JsonObject();
        json.addProperty("deviceId", m.deviceId());
        json.addProperty("sequenceNumber", m.sequenceNumber());
        json.addProperty("messageId", m.messageId());
        json.addProperty("correlationId", m.correlationId());
        json.addProperty("contentType", m.contentType());
        json.addProperty("contentEncoding", m.contentEncoding());
        json.addProperty("ack", m.ack());
        JsonObject properties = new JsonObject();
        m.properties().forEach(properties::addProperty);
        json.add("properties", properties);
        json.addProperty("body", Base64.getEncoder().encodeToString(m.body()));
        json.addProperty("enqueuedTime", m.enqueuedTime().toString());
        json.addProperty("expiry", m.expiry().toString());
        return json;
    }

    static CloudToDeviceMessage read(JsonObject json) {
        Map<String, String> properties = new LinkedHashMap<>();
        JsonObject stored = json.getAsJsonObject("properties");
        stored.keySet().forEach(name -> properties.put(name, stored.get(name).getAsString()));
        return new CloudToDeviceMessage(json.get("deviceId").getAsString(), json.get("sequenceNumber").getAsLong(),
                json.get("messageId").getAsString(), text(json, "correlationId"), text(json, "contentType"),
                text(json, "contentEncoding"), json.get("ack").getAsString(), properties,
                Base64.getDecoder().decode(json.get("body").getAsString()),
                Instant.parse(json.get("enqueuedTime").getAsString()), Instant.parse(json.get("expiry").getAsString()), 0);
    }

    private static String text(JsonObject json, String name) {
        JsonElement value = json.get(name);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }
}
