package lab.devicetwins.localhub.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.registry.Authentication;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.registry.DeviceStatus;
import lab.devicetwins.localhub.registry.ModuleRequest;
import lab.devicetwins.localhub.twin.HubTimestamp;

/**
 * The registry's wire form of a device and of a module: what {@code GET/PUT /devices/{id}} and
 * {@code /devices/{id}/modules/{mid}} send and receive.
 */
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
        json.add("authentication", authenticationJson(d.authentication()));
        JsonObject capabilities = new JsonObject();
        capabilities.addProperty("iotEdge", d.iotEdge());
        json.add("capabilities", capabilities);
        addScopes(json, d);
        return json;
    }

    /** A module as IoT Hub sends it: the identity fields of a device without status, capabilities or scopes. */
    static JsonObject moduleToJson(DeviceIdentity m) {
        JsonObject json = new JsonObject();
        json.addProperty("moduleId", m.moduleId());
        json.addProperty("managedBy", m.managedBy());
        json.addProperty("deviceId", m.deviceId());
        json.addProperty("generationId", m.generationId());
        json.addProperty("etag", m.etag());
        json.addProperty("connectionState", m.connectionState().wireName());
        json.addProperty("connectionStateUpdatedTime", HubTimestamp.formatOrNever(m.connectionStateUpdatedTime()));
        json.addProperty("lastActivityTime", HubTimestamp.formatOrNever(m.lastActivityTime()));
        json.addProperty("cloudToDeviceMessageCount", 0);
        json.add("authentication", authenticationJson(m.authentication()));
        return json;
    }

    /**
     * What a {@code PUT /devices/{id}/modules/{mid}} body asks for. The ids in the body, when given, must be those of
     * the path; read-only fields are ignored; keys may be absent, in which case the hub makes them.
     */
    static ModuleRequest parseModuleRequest(JsonElement body, String pathDeviceId, String pathModuleId) {
        if (body == null || !body.isJsonObject()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID,
                    "the request body must be a JSON object describing the module");
        }
        JsonObject json = body.getAsJsonObject();
        requireSameId(text(json, "deviceId"), pathDeviceId, "deviceId");
        requireSameId(text(json, "moduleId"), pathModuleId, "moduleId");
        return new ModuleRequest(pathDeviceId, pathModuleId, emptyToNull(text(json, "managedBy")),
                parseAuthentication(json));
    }

    private static void requireSameId(String inBody, String inPath, String name) {
        if (inBody != null && !inBody.isEmpty() && !inBody.equals(inPath)) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID,
                    name + " '" + inBody + "' in the body does not match '" + inPath + "' in the path");
        }
    }

    /** {@code deviceScope} and {@code parentScopes}, each only when the device has one, as IoT Hub omits them. */
    static void addScopes(JsonObject json, DeviceIdentity d) {
        if (d.deviceScope() != null) {
            json.addProperty("deviceScope", d.deviceScope());
        }
        if (!d.parentScopes().isEmpty()) {
            JsonArray parents = new JsonArray();
            d.parentScopes().forEach(parents::add);
            json.add("parentScopes", parents);
        }
    }

    /** Both key and thumbprint members, null where the type has none, and the type. */
    static JsonObject authenticationJson(Authentication a) {
        JsonObject authentication = new JsonObject();
        JsonObject symmetricKey = new JsonObject();
        Authentication.SymmetricKey keys = a instanceof Authentication.SymmetricKey k ? k : null;
        symmetricKey.add("primaryKey", textOrNull(keys == null ? null : keys.primaryKey()));
        symmetricKey.add("secondaryKey", textOrNull(keys == null ? null : keys.secondaryKey()));
        authentication.add("symmetricKey", symmetricKey);
        authentication.add("x509Thumbprint", thumbprintJson(a));
        authentication.addProperty("type", a.type());
        return authentication;
    }

    /** {@code {"primaryThumbprint":…,"secondaryThumbprint":…}}, nulls unless the identity is self-signed. */
    static JsonObject thumbprintJson(Authentication a) {
        Authentication.SelfSigned x509 = a instanceof Authentication.SelfSigned s ? s : null;
        JsonObject thumbprint = new JsonObject();
        thumbprint.add("primaryThumbprint", textOrNull(x509 == null ? null : x509.primaryThumbprint()));
        thumbprint.add("secondaryThumbprint", textOrNull(x509 == null ? null : x509.secondaryThumbprint()));
        return thumbprint;
    }

    private static JsonElement textOrNull(String text) {
        return text == null ? JsonNull.INSTANCE : new JsonPrimitive(text);
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
        requireSameId(text(json, "deviceId"), pathDeviceId, "deviceId");
        DeviceStatus status = DeviceStatus.ENABLED;
        String statusText = text(json, "status");
        if (statusText != null && !statusText.isEmpty()) {
            try {
                status = DeviceStatus.parse(statusText);
            } catch (IllegalArgumentException e) {
                throw new HubException(HubErrorCode.ARGUMENT_INVALID, e.getMessage());
            }
        }
        boolean iotEdge = false;
        JsonElement capabilities = json.get("capabilities");
        if (capabilities != null && capabilities.isJsonObject()) {
            JsonElement edge = capabilities.getAsJsonObject().get("iotEdge");
            iotEdge = edge != null && edge.isJsonPrimitive() && edge.getAsJsonPrimitive().isBoolean() && edge.getAsBoolean();
        }
        return new DeviceRequest(pathDeviceId, status, text(json, "statusReason"), parseAuthentication(json), iotEdge,
                emptyToNull(text(json, "deviceScope")), parentScopes(json));
    }

    /**
     * The {@code authentication} member: its {@code type} when given, else self-signed when a primary thumbprint is
     * there (the Node SDK sends thumbprints without a type), else symmetric keys; absent keys are left to the hub.
     * Null when the member is absent: the hub makes keys on a create and keeps what the device has on an update.
     */
    static Authentication parseAuthentication(JsonObject json) {
        JsonElement auth = json.get("authentication");
        if (auth == null || auth.isJsonNull()) {
            return null;
        }
        if (!auth.isJsonObject()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "'authentication' must be an object");
        }
        JsonObject a = auth.getAsJsonObject();
        JsonObject keys = object(a, "symmetricKey");
        JsonObject thumbprints = object(a, "x509Thumbprint");
        String primaryThumbprint = thumbprints == null ? null : emptyToNull(text(thumbprints, "primaryThumbprint"));
        String typeText = emptyToNull(text(a, "type"));
        String type;
        try {
            type = typeText != null ? Authentication.canonicalType(typeText)
                    : primaryThumbprint != null ? Authentication.SelfSigned.TYPE : Authentication.SymmetricKey.TYPE;
            switch (type) {
                case Authentication.SymmetricKey.TYPE:
                    return new Authentication.SymmetricKey(keys == null ? null : emptyToNull(text(keys, "primaryKey")),
                            keys == null ? null : emptyToNull(text(keys, "secondaryKey")));
                case Authentication.SelfSigned.TYPE:
                    return new Authentication.SelfSigned(primaryThumbprint,
                            thumbprints == null ? null : emptyToNull(text(thumbprints, "secondaryThumbprint")));
                case Authentication.CertificateAuthority.TYPE:
                    return new Authentication.CertificateAuthority();
                default:
                    return new Authentication.None();
            }
        } catch (IllegalArgumentException e) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, e.getMessage());
        }
    }

    /** {@code parentScopes}: absent, null or an array of strings. */
    private static List<String> parentScopes(JsonObject json) {
        JsonElement parents = json.get("parentScopes");
        if (parents == null || parents.isJsonNull()) {
            return List.of();
        }
        if (!parents.isJsonArray()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "'parentScopes' must be an array of scopes");
        }
        List<String> scopes = new ArrayList<>();
        for (JsonElement scope : parents.getAsJsonArray()) {
            if (!scope.isJsonPrimitive() || !scope.getAsJsonPrimitive().isString()) {
                throw new HubException(HubErrorCode.ARGUMENT_INVALID, "'parentScopes' must be an array of scopes");
            }
            scopes.add(scope.getAsString());
        }
        return scopes;
    }

    private static JsonObject object(JsonObject json, String member) {
        JsonElement e = json.get(member);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "'" + member + "' must be an object");
        }
        return e.getAsJsonObject();
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
