package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import lab.devicetwins.localhub.twin.TwinDocument;

/**
 * What changed between two versions of a twin, value by value, for the page's highlight and the twin's history.
 * Objects are compared member by member down to their leaves; an array or a primitive is one value. The
 * {@code $version} and {@code $metadata} of the property sections are left out: versions are shown on their own, and
 * metadata changes with every value that changes.
 */
public final class TwinDiff {
    private TwinDiff() {
    }

    /** The changes from {@code before} to {@code after} in tags, desired and reported, in that order. */
    public static List<PropertyChange> between(TwinDocument before, TwinDocument after) {
        List<PropertyChange> changes = new ArrayList<>();
        compare("tags", "", before.tags(), after.tags(), changes);
        compare("desired", "", withoutMeta(before.desired(false)), withoutMeta(after.desired(false)), changes);
        compare("reported", "", withoutMeta(before.reported(false)), withoutMeta(after.reported(false)), changes);
        return changes;
    }

    /** The changes from {@code before} to {@code after} of one section, both plain JSON objects. */
    public static List<PropertyChange> between(String section, JsonObject before, JsonObject after) {
        List<PropertyChange> changes = new ArrayList<>();
        compare(section, "", before, after, changes);
        return changes;
    }

    private static JsonObject withoutMeta(JsonObject section) {
        section.remove("$version");
        section.remove("$metadata");
        return section;
    }

    private static void compare(String section, String prefix, JsonObject before, JsonObject after,
                                List<PropertyChange> out) {
        Set<String> keys = new LinkedHashSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            JsonElement was = present(before.get(key));
            JsonElement is = present(after.get(key));
            if (was == null && is == null) {
                continue;
            }
            if (was == null) {
                out.add(new PropertyChange(section, path, PropertyChange.Op.ADDED, null, is));
            } else if (is == null) {
                out.add(new PropertyChange(section, path, PropertyChange.Op.REMOVED, was, null));
            } else if (was.isJsonObject() && is.isJsonObject()) {
                compare(section, path, was.getAsJsonObject(), is.getAsJsonObject(), out);
            } else if (!was.equals(is)) {
                out.add(new PropertyChange(section, path, PropertyChange.Op.CHANGED, was, is));
            }
        }
    }

    /** A JSON null in a stored twin does not occur, but in a plain object it means "not there". */
    private static JsonElement present(JsonElement value) {
        return value == null || value.isJsonNull() ? null : value;
    }
}
