package lab.devicetwins.localhub.twin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * What one write records in the {@code $metadata} nodes it touches: when, and for desired properties, at which
 * desired {@code $version}. Reported properties carry no {@code $lastUpdatedVersion} on IoT Hub.
 */
record MetadataStamp(String lastUpdated, Long lastUpdatedVersion) {
    static final String LAST_UPDATED = "$lastUpdated";
    static final String LAST_UPDATED_VERSION = "$lastUpdatedVersion";

    static MetadataStamp desired(Instant now, long desiredVersion) {
        return new MetadataStamp(HubTimestamp.format(now), desiredVersion);
    }

    static MetadataStamp reported(Instant now) {
        return new MetadataStamp(HubTimestamp.format(now), null);
    }

    /** Writes this stamp into an existing node, keeping its children (the node's place in its parent is kept too). */
    void applyTo(JsonObject node) {
        node.addProperty(LAST_UPDATED, lastUpdated);
        if (lastUpdatedVersion != null) {
            node.addProperty(LAST_UPDATED_VERSION, lastUpdatedVersion);
        }
    }

    /** A fresh metadata node for a value: stamped, with one stamped child node per member when it is an object. */
    JsonObject describe(JsonElement value) {
        JsonObject node = new JsonObject();
        applyTo(node);
        if (value.isJsonObject()) {
            for (Map.Entry<String, JsonElement> member : value.getAsJsonObject().entrySet()) {
                node.add(member.getKey(), describe(member.getValue()));
            }
        }
        return node;
    }
}
