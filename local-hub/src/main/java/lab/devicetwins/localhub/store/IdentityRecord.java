package lab.devicetwins.localhub.store;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import lab.devicetwins.localhub.registry.Authentication;
import lab.devicetwins.localhub.registry.ConnectionState;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceStatus;

/**
 * How {@link SqliteHubStore} writes a registry record. A storage format, not the REST one: it changes only with the
 * schema version. Its field names are those that schema version 1 has always stored, so databases written before
 * the store had a format of its own read back unchanged; fields added since (authentication types other than keys,
 * device and parent scopes, the model id, a module's id and manager) are optional, so older records read as devices with keys and no scope.
 * Instants are kept as ISO-8601 text.
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
        json.add("authentication", writeAuthentication(d.authentication()));
        JsonObject capabilities = new JsonObject();
        capabilities.addProperty("iotEdge", d.iotEdge());
        json.add("capabilities", capabilities);
        if (d.deviceScope() != null) {
            json.addProperty("deviceScope", d.deviceScope());
        }
        if (!d.parentScopes().isEmpty()) {
            JsonArray parents = new JsonArray();
            d.parentScopes().forEach(parents::add);
            json.add("parentScopes", parents);
        }
        if (d.modelId() != null) {
            json.addProperty("modelId", d.modelId());
        }
        if (d.moduleId() != null) {
            json.addProperty("moduleId", d.moduleId());
            if (d.managedBy() != null) {
                json.addProperty("managedBy", d.managedBy());
            }
        }
        return json;
    }

    /** Keys as schema version 1 always stored them; the type and thumbprints only for the other types. */
    private static JsonObject writeAuthentication(Authentication authentication) {
        JsonObject json = new JsonObject();
        if (authentication instanceof Authentication.SymmetricKey keys) {
            JsonObject symmetricKey = new JsonObject();
            symmetricKey.addProperty("primaryKey", keys.primaryKey());
            symmetricKey.addProperty("secondaryKey", keys.secondaryKey());
            json.add("symmetricKey", symmetricKey);
            return json;
        }
        json.addProperty("type", authentication.type());
        if (authentication instanceof Authentication.SelfSigned x509) {
            JsonObject thumbprints = new JsonObject();
            thumbprints.addProperty("primaryThumbprint", x509.primaryThumbprint());
            if (x509.secondaryThumbprint() != null) {
                thumbprints.addProperty("secondaryThumbprint", x509.secondaryThumbprint());
            }
            json.add("x509Thumbprint", thumbprints);
        }
        return json;
    }

    private static Authentication readAuthentication(JsonObject json) {
        String type = text(json, "type");
        if (type == null || type.equals(Authentication.SymmetricKey.TYPE)) {
            JsonObject keys = json.getAsJsonObject("symmetricKey");
            return new Authentication.SymmetricKey(keys.get("primaryKey").getAsString(),
                    keys.get("secondaryKey").getAsString());
        }
        if (type.equals(Authentication.SelfSigned.TYPE)) {
            JsonObject thumbprints = json.getAsJsonObject("x509Thumbprint");
            return new Authentication.SelfSigned(text(thumbprints, "primaryThumbprint"),
                    text(thumbprints, "secondaryThumbprint"));
        }
        if (type.equals(Authentication.CertificateAuthority.TYPE)) {
            return new Authentication.CertificateAuthority();
        }
        if (type.equals(Authentication.None.TYPE)) {
            return new Authentication.None();
        }
        throw new IllegalArgumentException("stored authentication type '" + type + "' is unknown");
    }

    static DeviceIdentity read(JsonObject json) {
        JsonElement capabilities = json.get("capabilities");
        List<String> parentScopes = new ArrayList<>();
        JsonElement parents = json.get("parentScopes");
        if (parents != null && parents.isJsonArray()) {
            parents.getAsJsonArray().forEach(scope -> parentScopes.add(scope.getAsString()));
        }
        return new DeviceIdentity(
                json.get("deviceId").getAsString(),
                text(json, "generationId"),
                text(json, "etag"),
                DeviceStatus.parse(json.get("status").getAsString()),
                text(json, "statusReason"),
                instant(json, "statusUpdatedTime"),
                readAuthentication(json.getAsJsonObject("authentication")),
                ConnectionState.parse(json.get("connectionState").getAsString()),
                instant(json, "connectionStateUpdatedTime"),
                instant(json, "lastActivityTime"),
                capabilities != null && capabilities.isJsonObject()
                        && capabilities.getAsJsonObject().get("iotEdge").getAsBoolean(),
                text(json, "deviceScope"),
                parentScopes,
                text(json, "modelId"),
                text(json, "moduleId"),
                text(json, "managedBy"));
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
