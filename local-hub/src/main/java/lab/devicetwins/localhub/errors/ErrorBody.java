package lab.devicetwins.localhub.errors;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * Renders error bodies in the forms IoT Hub uses and every official SDK parses.
 *
 * <p>HTTPS answers use the nested form: the outer {@code Message} is an escaped JSON string that carries the
 * numeric {@code errorCode}. The Java service SDK follows {@code Message} and reads the code from the inner text;
 * the .NET and Node.js SDKs read the same shape. MQTT twin errors carry the flat form, which the device SDKs
 * read from the payload.
 */
public final class ErrorBody {
    private ErrorBody() {
    }

    /** {@code {"errorCode":404001,"trackingId":"…","message":"…","timestampUtc":"…"}} */
    public static JsonObject flat(HubErrorCode code, String message) {
        JsonObject body = new JsonObject();
        body.addProperty("errorCode", code.code());
        body.addProperty("trackingId", UUID.randomUUID().toString().replace("-", ""));
        body.addProperty("message", message);
        body.addProperty("timestampUtc", Instant.now().toString());
        return body;
    }

    /** {@code {"Message":"{\"errorCode\":404001,…}","ExceptionMessage":""}} */
    public static JsonObject nested(HubErrorCode code, String message) {
        JsonObject body = new JsonObject();
        body.addProperty("Message", flat(code, message).toString());
        body.addProperty("ExceptionMessage", "");
        return body;
    }
}
