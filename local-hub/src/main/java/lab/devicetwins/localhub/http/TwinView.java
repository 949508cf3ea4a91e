package lab.devicetwins.localhub.http;

import com.google.gson.JsonObject;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.twin.HubTimestamp;
import lab.devicetwins.localhub.twin.TwinDocument;

/**
 * The twin of a device or module as the service side reads it ({@code GET /twins/{id}}, {@code GET
 * /twins/{id}/modules/{mid}}, query results): identity facts from the registry
 * followed by tags and properties with their versions and metadata. Field names follow IoT Hub, including
 * {@code statusUpdateTime} (the registry says {@code statusUpdatedTime}).
 *
 * <p>The view shares the twin's trees below {@code tags} and the property sections ({@link TwinDocument#tagsView()}):
 * it is for writing out, and nothing below its own members may be changed.
 */
public final class TwinView {
    private TwinView() {
    }

    public static JsonObject of(DeviceIdentity identity, TwinDocument twin) {
        JsonObject json = new JsonObject();
        json.addProperty("deviceId", identity.deviceId());
        if (identity.isModule()) {
            json.addProperty("moduleId", identity.moduleId());
        }
        json.addProperty("etag", twin.etag());
        json.addProperty("deviceEtag", identity.etag());
        json.addProperty("status", identity.status().wireName());
        if (identity.statusReason() != null) {
            json.addProperty("statusReason", identity.statusReason());
        }
        json.addProperty("statusUpdateTime", HubTimestamp.formatOrNever(identity.statusUpdatedTime()));
        json.addProperty("connectionState", identity.connectionState().wireName());
        json.addProperty("lastActivityTime", HubTimestamp.formatOrNever(identity.lastActivityTime()));
        json.addProperty("cloudToDeviceMessageCount", 0);
        json.addProperty("authenticationType", identity.authentication().type());
        json.add("x509Thumbprint", DeviceJson.thumbprintJson(identity.authentication()));
        json.addProperty("modelId", identity.modelId() == null ? "" : identity.modelId());
        json.addProperty("version", twin.version());
        if (!identity.isModule()) {
            // a module twin has neither: they are its device's
            JsonObject capabilities = new JsonObject();
            capabilities.addProperty("iotEdge", identity.iotEdge());
            json.add("capabilities", capabilities);
            DeviceJson.addScopes(json, identity);
        }
        json.add("tags", twin.tagsView());
        json.add("properties", twin.servicePropertiesView());
        return json;
    }
}
