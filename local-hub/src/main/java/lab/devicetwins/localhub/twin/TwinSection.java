package lab.devicetwins.localhub.twin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** The three writable parts of a twin, named by their path in the twin JSON. */
public enum TwinSection {
    TAGS("tags"),
    DESIRED("properties.desired"),
    REPORTED("properties.reported");

    private final String path;

    TwinSection(String path) {
        this.path = path;
    }

    /** The section's path in the twin JSON, used at the start of every rule message. */
    public String path() {
        return path;
    }

    int maxBytes(TwinLimits limits) {
        return switch (this) {
            case TAGS -> limits.tagsMaxBytes();
            case DESIRED -> limits.desiredMaxBytes();
            case REPORTED -> limits.reportedMaxBytes();
        };
    }

    /**
     * The section body from an incoming request: {@code null} when absent or JSON {@code null}, the object otherwise.
     *
     * @throws TwinRuleViolation when the body is a string, number, boolean or array
     */
    public JsonObject objectOrNull(JsonElement body) {
        if (body == null || body.isJsonNull()) {
            return null;
        }
        if (!body.isJsonObject()) {
            throw new TwinRuleViolation(path, "must be a JSON object, but is " + JsonKinds.describe(body));
        }
        return body.getAsJsonObject();
    }
}
