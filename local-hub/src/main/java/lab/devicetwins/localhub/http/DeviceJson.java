package lab.devicetwins.localhub.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.registry.DeviceStatus;
import lab.devicetwins.localhub.twin.HubTimestamp;

/** The registry's wire form of a device: what {@code GET/PUT /devices/{id}} send and receive. */
final class DeviceJson {
    private DeviceJson() {
    }

    static JsonObject toJson(DeviceIdentity d) {
        JsonObject json = new JsonObject();
        json.addProperty("deviceId", d.deviceId());
        json.addProperty("generationId", d.generationId());
        json.addProperty("etag", d.etag());
        json.addProperty("connectionState", d.connectionState().wireName());
        json.addProperty("status", d.status().wireName());
        json.add("statusReason", d.statusReason() == null ? JsonNull.INSTANCE : new JsonPrimitive(d.statusReason()));
        json.addProperty("connectionStateUpdatedTime", HubTimestamp.formatOrNever(d.connectionStateUpdatedTime()));
        json.addProperty("statusUpdatedTime", HubTimestamp.formatOrNever(d.statusUpdatedTime()));
        json.addProperty("lastActivityTime", HubTimestamp.formatOrNever(d.lastActivityTime()));
        json.addProperty("cloudToDeviceMessageCount", 0);
        JsonObject authentication = new JsonObject();
        JsonObject symmetricKey = new JsonObject();
        symmetricKey.addProperty("primaryKey", d.primaryKey());
        symmetricKey.addProperty("secondaryKey", d.secondaryKey());
        authentication.add("symmetricKey", symmetricKey);
        JsonObject thumbprint = new JsonObject();
        thumbprint.add("primaryThumbprint", JsonNull.INSTANCE);
        thumbprint.add("secondaryThumbprint", JsonNull.INSTANCE);
        authentication.add("x509Thumbprint", thumbprint);
        authentication.addProperty("type", "sas");
        json.add("authentication", authentication);
        JsonObject capabilities = new JsonObject();
        capabilities.addProperty("iotEdge", d.iotEdge());
        json.add("capabilities", capabilities);
        return json;
    }

    /**
     * What a {@code PUT /devices/{id}} body asks for. Read-only fields the SDKs send (etag, dates, connection state)
     * are ignored; {@code status} is read in any case; keys may be absent, in which case the hub makes them.
     */
    static DeviceRequest parseRequest(JsonElement body, String pathDeviceId) {
        if (body == null || !body.isJsonObject()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the request body must be a JSON object describing the device");
        }
        JsonObject json = body.getAsJsonObject();
        String deviceId = text(json, "deviceId");
        if (deviceId != null && !deviceId.isEmpty() && !deviceId.equals(pathDeviceId)) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID,
                    "deviceId '" + deviceId + "' in the body does not match '" + pathDeviceId + "' in the path");
        }
        DeviceStatus status = DeviceStatus.ENABLED;
        String statusText = text(json, "status");
        if (statusText != null && !statusText.isEmpty()) {
            try {
                status = DeviceStatus.parse(statusText);
            } catch (IllegalArgumentException e) {
                throw new HubException(HubErrorCode.ARGUMENT_INVALID, e.getMessage());
            }
        }
        String primary = null;
        String secondary = null;
        JsonElement auth = json.get("authentication");
        if (auth != null && auth.isJsonObject()) {
            String type = text(auth.getAsJsonObject(), "type");
            if (type != null && !type.isEmpty() && !type.equalsIgnoreCase("sas")) {
                throw new HubException(HubErrorCode.ARGUMENT_INVALID, "authentication type '" + type
                        + "' is not implemented by the local hub; use symmetric keys (type 'sas')");
            }
            JsonElement sym = auth.getAsJsonObject().get("symmetricKey");
            if (sym != null && sym.isJsonObject()) {
                primary = emptyToNull(text(sym.getAsJsonObject(), "primaryKey"));
                secondary = emptyToNull(text(sym.getAsJsonObject(), "secondaryKey"));
            }
        }
        boolean iotEdge = false;
        JsonElement capabilities = json.get("capabilities");
        if (capabilities != null && capabilities.isJsonObject()) {
            JsonElement edge = capabilities.getAsJsonObject().get("iotEdge");
            iotEdge = edge != null && edge.isJsonPrimitive() && edge.getAsJsonPrimitive().isBoolean() && edge.getAsBoolean();
        }
        return new DeviceRequest(pathDeviceId, status, text(json, "statusReason"), primary, secondary, iotEdge);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String text(JsonObject json, String member) {
        JsonElement e = json.get(member);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "'" + member + "' must be a string");
        }
        return e.getAsString();
    }
}
