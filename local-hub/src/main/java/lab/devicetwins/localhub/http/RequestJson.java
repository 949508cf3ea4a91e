package lab.devicetwins.localhub.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/** Reads a request body as JSON, refusing a missing or malformed one with IoT Hub's 400. */
final class RequestJson {
    private RequestJson() {
    }

    static JsonElement parse(byte[] body) {
        if (body.length == 0) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the request has no body; a JSON body is required");
        }
        try {
            return JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the request body is not valid JSON: " + e.getMessage());
        }
    }
}
