package lab.devicetwins.localhub.twin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;

/**
 * Desired or reported properties with their {@code $metadata} tree and {@code $version}. Never changed once built:
 * a change builds a new instance that shares the subtrees it did not touch, and {@link TwinDocument} hands out
 * copies only (or, from {@link TwinDocument#lookup}, values its callers must not change).
 */
record PropertySection(JsonObject data, JsonObject metadata, long version) {
    static final String VERSION = "$version";
    static final String METADATA = "$metadata";

    /** A new twin's section: no properties, {@code $version} 1, a root node with only {@code $lastUpdated}. */
    static PropertySection fresh(String lastUpdated) {
        return new PropertySection(new JsonObject(), new MetadataStamp(lastUpdated, null).describe(new JsonObject()), 1);
    }

    PropertySection patched(JsonObject write, MetadataStamp stamp) {
        TwinMerge.Merged merged = TwinMerge.merged(data, metadata, write, stamp);
        return new PropertySection(merged.data(), merged.metadata(), version + 1);
    }

    PropertySection replaced(JsonObject write, MetadataStamp stamp) {
        JsonObject newData = TwinMerge.withoutNulls(write).getAsJsonObject();
        return new PropertySection(newData, stamp.describe(newData), version + 1);
    }

    /** {@code {…properties, "$metadata":{…}, "$version":n}}, metadata only when asked. */
    JsonObject render(boolean withMetadata) {
        JsonObject rendered = data.deepCopy();
        if (withMetadata) {
            rendered.add(METADATA, metadata.deepCopy());
        }
        rendered.addProperty(VERSION, version);
        return rendered;
    }

    /**
     * {@link #render render(true)} over this section's own trees: a new root object whose members are shared. For
     * documents that are written out and never changed.
     */
    JsonObject view() {
        JsonObject view = new JsonObject();
        for (Map.Entry<String, JsonElement> member : data.entrySet()) {
            view.add(member.getKey(), member.getValue());
        }
        view.add(METADATA, metadata);
        view.addProperty(VERSION, version);
        return view;
    }

    /** The section of a stored twin, taking its trees over (the caller copies when it must keep them). */
    static PropertySection fromStored(JsonElement stored, String path) {
        if (stored == null || !stored.isJsonObject()) {
            throw new IllegalArgumentException("stored twin has no object at " + path);
        }
        JsonObject section = stored.getAsJsonObject();
        JsonElement version = section.get(VERSION);
        if (version == null || !version.isJsonPrimitive() || !version.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("stored twin has no numeric " + path + "." + VERSION);
        }
        JsonElement metadata = section.get(METADATA);
        JsonObject data = new JsonObject();
        for (Map.Entry<String, JsonElement> member : section.entrySet()) {
            if (!member.getKey().equals(VERSION) && !member.getKey().equals(METADATA)) {
                data.add(member.getKey(), member.getValue());
            }
        }
        JsonObject metadataTree = metadata != null && metadata.isJsonObject() ? metadata.getAsJsonObject() : new JsonObject();
        return new PropertySection(data, metadataTree, version.getAsLong());
    }
}
