package lab.devicetwins.localhub.twin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The parts of a back end's twin body (PATCH or PUT) that the hub writes: {@code tags} and
 * {@code properties.desired}. Identity fields, {@code etag} and {@code version} in the body are read-only and
 * ignored, as the SDKs send them, mostly as {@code null}.
 *
 * @param tags the tags to write, or {@code null} when the body has none
 * @param desired the desired properties to write, or {@code null} when the body has none
 */
public record ServiceTwinWrite(JsonObject tags, JsonObject desired) {

    /**
     * @throws TwinRuleViolation when the body, {@code tags}, {@code properties} or {@code properties.desired} is not
     *         an object, or when the body tries to write reported properties (only the device may)
     */
    public static ServiceTwinWrite fromTwinJson(JsonElement body) {
        if (body == null || !body.isJsonObject()) {
            throw new TwinRuleViolation("twin", "must be a JSON object, but is "
                    + (body == null ? "missing" : JsonKinds.describe(body)));
        }
        JsonObject twin = body.getAsJsonObject();
        JsonObject tags = TwinSection.TAGS.objectOrNull(twin.get("tags"));
        JsonElement properties = twin.get("properties");
        if (properties == null || properties.isJsonNull()) {
            return new ServiceTwinWrite(tags, null);
        }
        if (!properties.isJsonObject()) {
            throw new TwinRuleViolation("properties", "must be a JSON object, but is " + JsonKinds.describe(properties));
        }
        JsonObject reported = TwinSection.REPORTED.objectOrNull(properties.getAsJsonObject().get("reported"));
        if (reported != null && reported.keySet().stream().anyMatch(key -> !key.equals("$version") && !key.equals("$metadata"))) {
            throw new TwinRuleViolation(TwinSection.REPORTED.path(),
                    "only the device can write reported properties; a back end writes tags and desired properties");
        }
        return new ServiceTwinWrite(tags, TwinSection.DESIRED.objectOrNull(properties.getAsJsonObject().get("desired")));
    }
}
