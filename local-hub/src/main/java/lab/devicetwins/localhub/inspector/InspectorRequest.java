package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.json.StrictJson;

/** One request of the page to the inspector's API, already let through by {@link InspectorAccess}. */
record InspectorRequest(String method, String path, Map<String, String> params, byte[] body, String ifMatch) {

    /** A query parameter that must be there; 400 when it is not. */
    String require(String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the parameter '" + name + "' is missing");
        }
        return value;
    }

    String param(String name) {
        String value = params.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The body as strict JSON, as the hub's REST API reads it; 400 when it is missing or malformed. */
    JsonElement json() {
        if (body.length == 0) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the request has no body; a JSON body is required");
        }
        try {
            return StrictJson.parse(body);
        } catch (HubException e) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the request body is not valid JSON: " + e.getMessage());
        }
    }

    /** The body as a JSON object; 400 otherwise. */
    JsonObject object() {
        JsonElement json = json();
        if (!json.isJsonObject()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the request body must be a JSON object");
        }
        return json.getAsJsonObject();
    }
}
