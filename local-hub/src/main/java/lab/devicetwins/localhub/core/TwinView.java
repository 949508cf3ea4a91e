package lab.devicetwins.localhub.core;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.twin.TwinDocument;
import lab.devicetwins.localhub.twin.TwinLimits;

/**
 * The twin as the service side sees it ({@code GET /twins/{id}}, query results): identity facts from the registry
 * followed by tags and properties with their versions and metadata. Field names follow IoT Hub, including
 * {@code statusUpdateTime} (the registry says {@code statusUpdatedTime}).
 */
public final class TwinView {
    private TwinView() {
    }

    public static JsonObject of(DeviceIdentity identity, TwinDocument twin) {
        JsonObject json = new JsonObject();
        json.addProperty("deviceId", identity.deviceId());
        json.addProperty("etag", twin.etag());
        json.addProperty("deviceEtag", identity.etag());
        json.addProperty("status", identity.status().wireName());
        if (identity.statusReason() != null) {
            json.addProperty("statusReason", identity.statusReason());
        }
        json.addProperty("statusUpdateTime", HubTime.format(identity.statusUpdatedTime()));
        json.addProperty("connectionState", identity.connectionState().wireName());
        json.addProperty("lastActivityTime", HubTime.format(identity.lastActivityTime()));
        json.addProperty("cloudToDeviceMessageCount", 0);
        json.addProperty("authenticationType", "sas");
        JsonObject thumbprint = new JsonObject();
        thumbprint.add("primaryThumbprint", JsonNull.INSTANCE);
        thumbprint.add("secondaryThumbprint", JsonNull.INSTANCE);
        json.add("x509Thumbprint", thumbprint);
        json.addProperty("modelId", "");
        json.addProperty("version", twin.version());
        JsonObject capabilities = new JsonObject();
        capabilities.addProperty("iotEdge", identity.iotEdge());
        json.add("capabilities", capabilities);
        json.add("tags", twin.tags());
        json.add("properties", twin.servicePropertiesJson());
        return json;
    }

    /** The part of a stored view that {@link TwinDocument#fromStoredJson} reads back. */
    public static TwinDocument twinOf(JsonObject view, TwinLimits limits) {
        JsonObject stored = new JsonObject();
        stored.add("version", view.get("version"));
        stored.add("etag", view.get("etag"));
        stored.add("tags", view.get("tags"));
        stored.add("properties", view.get("properties"));
        return TwinDocument.fromStoredJson(stored, limits);
    }
}
