package lab.devicetwins.localhub.jobs;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.Objects;

/** What a job does to each device: write its twin, or call a method on it. */
public sealed interface JobAction {

    /** The action as the job's JSON shows it ({@code updateTwin} or {@code cloudToDeviceMethod}). */
    JsonObject toJson();

    /**
     * A twin PATCH (tags and desired properties merged, nulls delete) with an If-Match etag ({@code *} for any).
     *
     * @param updateTwin the {@code updateTwin} object as the request gave it, shown back unchanged
     * @param tags       the tags to merge, or null
     * @param desired    the desired properties to merge, or null
     */
    record TwinUpdate(JsonObject updateTwin, JsonObject tags, JsonObject desired, String etag) implements JobAction {
        public TwinUpdate {
            Objects.requireNonNull(updateTwin, "updateTwin");
            Objects.requireNonNull(etag, "etag");
            if (tags == null && desired == null) {
                throw new IllegalArgumentException("a twin update writes tags, desired properties or both");
            }
        }

        @Override
        public JsonObject toJson() {
            return updateTwin.deepCopy();
        }
    }

    /** A direct method call, with IoT Hub's timeouts in seconds; the payload is JSON ({@link JsonNull} when none). */
    record MethodCall(String methodName, JsonElement payload, int responseTimeoutSeconds, int connectTimeoutSeconds)
            implements JobAction {
        public MethodCall {
            Objects.requireNonNull(methodName, "methodName");
            payload = payload == null ? JsonNull.INSTANCE : payload;
        }

        @Override
        public JsonObject toJson() {
            JsonObject json = new JsonObject();
            json.addProperty("methodName", methodName);
            json.add("payload", payload.deepCopy());
            json.addProperty("responseTimeoutInSeconds", responseTimeoutSeconds);
            json.addProperty("connectTimeoutInSeconds", connectTimeoutSeconds);
            return json;
        }
    }
}
