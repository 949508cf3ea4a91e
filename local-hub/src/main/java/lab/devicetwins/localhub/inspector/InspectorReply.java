package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import lab.devicetwins.localhub.errors.ErrorBody;
import lab.devicetwins.localhub.errors.HubException;

/** The status and JSON body of an API answer. */
record InspectorReply(int status, JsonElement body) {

    static InspectorReply ok(JsonElement body) {
        return new InspectorReply(200, body);
    }

    /** IoT Hub's answer to a refused operation: its status, and {@code {"error": {errorCode, message, …}}}. */
    static InspectorReply error(HubException e) {
        JsonObject body = new JsonObject();
        body.add("error", ErrorBody.flat(e.errorCode(), e.getMessage()));
        return new InspectorReply(e.errorCode().status(), body);
    }
}
