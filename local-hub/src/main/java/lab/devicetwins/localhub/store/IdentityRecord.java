package lab.devicetwins.localhub.store;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import lab.devicetwins.localhub.registry.ConnectionState;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceStatus;

/**
 * How {@link SqliteHubStore} writes a registry record. A storage format, not the REST one: it changes only with the
 * schema version. Its field names are those that schema version 1 has always stored, so databases written before
 * the store had a format of its own read back unchanged. Instants are kept as ISO-8601 text.
 */
final class IdentityRecord {
    private IdentityRecord() {
    }

    static JsonObject write(DeviceIdentity d) {
        JsonObject json = new JsonObject();
        json.addProperty("deviceId", d.deviceId());
        json.addProperty("generationId", d.generationId());
        json.addProperty("etag", d.etag());
        json.addProperty("status", d.status().wireName());
        if (d.statusReason() != null) {
            json.addProperty("statusReason", d.statusReason());
        }
        json.addProperty("statusUpdatedTime", d.statusUpdatedTime().toString());
        json.addProperty("connectionState", d.connectionState().wireName());
        json.addProperty("connectionStateUpdatedTime", d.connectionStateUpdatedTime().toString());
        json.addProperty("lastActivityTime", d.lastActivityTime().toString());
        JsonObject symmetricKey = new JsonObject();
        symmetricKey.addProperty("primaryKey", d.primaryKey());
        symmetricKey.addProperty("secondaryKey", d.secondaryKey());
        JsonObject authentication = new JsonObject();
        authentication.add("symmetricKey", symmetricKey);
        json.add("authentication", authentication);
        JsonObject capabilities = new JsonObject();
        capabilities.addProperty("iotEdge", d.iotEdge());
        json.add("capabilities", capabilities);
        return json;
    }

    static DeviceIdentity read(JsonObject json) {
        JsonObject keys = json.getAsJsonObject("authentication").getAsJsonObject("symmetricKey");
        JsonElement capabilities = json.get("capabilities");
        return new DeviceIdentity(
                json.get("deviceId").getAsString(),
                text(json, "generationId"),
                text(json, "etag"),
                DeviceStatus.parse(json.get("status").getAsString()),
                text(json, "statusReason"),
                instant(json, "statusUpdatedTime"),
                keys.get("primaryKey").getAsString(),
                keys.get("secondaryKey").getAsString(),
                ConnectionState.parse(json.get("connectionState").getAsString()),
                instant(json, "connectionStateUpdatedTime"),
                instant(json, "lastActivityTime"),
                capabilities != null && capabilities.isJsonObject()
                        && capabilities.getAsJsonObject().get("iotEdge").getAsBoolean());
    }

    private static String text(JsonObject json, String member) {
        JsonElement e = json.get(member);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static Instant instant(JsonObject json, String member) {
        String text = text(json, member);
        return text == null || text.isEmpty() ? DeviceIdentity.NEVER : StoredInstant.parse(text);
    }
}
