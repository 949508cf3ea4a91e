package lab.devicetwins.localhub.twin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;

/** IoT Hub's patch rule: deep merge, a null member deletes, object onto object merges, anything else overwrites. */
final class TwinMerge {
    private TwinMerge() {
    }

    /**
     * Merges {@code patch} into {@code data} in place, keeping {@code metadata} in step when given: every node the
     * patch reaches gets the stamp, up to {@code metadata} itself (the section root), and a deleted member loses
     * its node. Untouched siblings keep theirs.
     *
     * @param metadata the metadata node mirroring {@code data}, or {@code null} for tags, which have none
     */
    static void mergeInto(JsonObject data, JsonObject metadata, JsonObject patch, MetadataStamp stamp) {
        for (Map.Entry<String, JsonElement> member : patch.entrySet()) {
            String key = member.getKey();
            JsonElement value = member.getValue();
            JsonElement existing = data.get(key);
            if (value.isJsonNull()) {
                data.remove(key);
                if (metadata != null) {
                    metadata.remove(key);
                }
            } else if (value.isJsonObject() && existing != null && existing.isJsonObject()) {
                JsonObject childMetadata = null;
                if (metadata != null) {
                    JsonElement node = metadata.get(key);
                    childMetadata = node != null && node.isJsonObject() ? node.getAsJsonObject() : new JsonObject();
                    metadata.add(key, childMetadata);
                }
                mergeInto(existing.getAsJsonObject(), childMetadata, value.getAsJsonObject(), stamp);
            } else {
                JsonElement landed = withoutNulls(value);
                data.add(key, landed);
                if (metadata != null) {
                    metadata.add(key, stamp.describe(landed));
                }
            }
        }
        if (metadata != null) {
            stamp.applyTo(metadata);
        }
    }

    /**
     * A copy of the value with null members of objects dropped, at every level: a null that lands where nothing
     * existed has nothing to delete. Arrays are copied as they are (the rules reject nulls inside them).
     */
    static JsonElement withoutNulls(JsonElement value) {
        if (!value.isJsonObject()) {
            return value.deepCopy();
        }
        JsonObject copy = new JsonObject();
        for (Map.Entry<String, JsonElement> member : value.getAsJsonObject().entrySet()) {
            if (!member.getValue().isJsonNull()) {
                copy.add(member.getKey(), withoutNulls(member.getValue()));
            }
        }
        return copy;
    }
}
