package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Locale;

/**
 * One value that differs between two versions of a twin: its section ({@code tags}, {@code desired},
 * {@code reported}), its dotted path below the section (twin keys cannot hold a dot), and the values before and
 * after (null when absent).
 */
public record PropertyChange(String section, String path, Op op, JsonElement before, JsonElement after) {

    /** Added where nothing was, removed, or changed in place. */
    public enum Op { ADDED, REMOVED, CHANGED }

    JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("section", section);
        json.addProperty("path", path);
        json.addProperty("op", op.name().toLowerCase(Locale.ROOT));
        if (before != null) {
            json.add("before", before);
        }
        if (after != null) {
            json.add("after", after);
        }
        return json;
    }
}
