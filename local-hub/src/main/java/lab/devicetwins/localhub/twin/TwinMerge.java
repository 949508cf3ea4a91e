package lab.devicetwins.localhub.twin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;

/** IoT Hub's patch rule: deep merge, a null member deletes, object onto object merges, anything else overwrites. */
final class TwinMerge {
    private TwinMerge() {
    }

    /** A section's data and its metadata after a merge; {@code metadata} is null for tags. */
    record Merged(JsonObject data, JsonObject metadata) {
    }

    /**
     * {@code data} (and {@code metadata}) with {@code patch} merged in, leaving both inputs unchanged: every node the
     * patch reaches gets the stamp, up to {@code metadata} itself (the section root), and a deleted member loses its
     * node; untouched siblings keep theirs. Only the objects on the paths the patch reaches are copied, one level at
     * a time; every other subtree is shared with the input, which is sound because twin trees are never changed once
     * a document holds them.
     *
     * @param metadata the metadata node mirroring {@code data}, or {@code null} for tags, which have none
     */
    static Merged merged(JsonObject data, JsonObject metadata, JsonObject patch, MetadataStamp stamp) {
        JsonObject newData = shallowCopy(data);
        JsonObject newMetadata = metadata == null ? null : shallowCopy(metadata);
        for (Map.Entry<String, JsonElement> member : patch.entrySet()) {
            String key = member.getKey();
            JsonElement value = member.getValue();
            JsonElement existing = newData.get(key);
            if (value.isJsonNull()) {
                newData.remove(key);
                if (newMetadata != null) {
                    newMetadata.remove(key);
                }
            } else if (value.isJsonObject() && existing != null && existing.isJsonObject()) {
                JsonObject childMetadata = null;
                if (newMetadata != null) {
                    JsonElement node = newMetadata.get(key);
                    childMetadata = node != null && node.isJsonObject() ? node.getAsJsonObject() : new JsonObject();
                }
                Merged child = merged(existing.getAsJsonObject(), childMetadata, value.getAsJsonObject(), stamp);
                newData.add(key, child.data());
                if (newMetadata != null) {
                    newMetadata.add(key, child.metadata());
                }
            } else {
                JsonElement landed = withoutNulls(value);
                newData.add(key, landed);
                if (newMetadata != null) {
                    newMetadata.add(key, stamp.describe(landed));
                }
            }
        }
        if (newMetadata != null) {
            stamp.applyTo(newMetadata);
        }
        return new Merged(newData, newMetadata);
    }

    private static JsonObject shallowCopy(JsonObject object) {
        JsonObject copy = new JsonObject();
        for (Map.Entry<String, JsonElement> member : object.entrySet()) {
            copy.add(member.getKey(), member.getValue());
        }
        return copy;
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
