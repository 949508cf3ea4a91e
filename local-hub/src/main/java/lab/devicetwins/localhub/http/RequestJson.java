package lab.devicetwins.localhub.http;

import com.google.gson.JsonElement;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.json.StrictJson;

/** Reads a request body as strict JSON (RFC 8259 in valid UTF-8), refusing a missing or malformed one with 400. */
final class RequestJson {
    private RequestJson() {
    }

    static JsonElement parse(byte[] body) {
        if (body.length == 0) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the request has no body; a JSON body is required");
        }
        try {
            return StrictJson.parse(body);
        } catch (HubException e) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the request body is not valid JSON: " + e.getMessage());
        }
    }
}
