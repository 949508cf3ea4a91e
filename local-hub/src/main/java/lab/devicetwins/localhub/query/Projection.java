package lab.devicetwins.localhub.query;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * The result object of one twin for a projection such as {@code SELECT deviceId, tags.location.plant AS plant}: one
 * key per selected path (its alias, else its last segment), with the twin's value unchanged (numbers keep their
 * text); paths the twin lacks are left out, a property whose value is null is kept as null.
 */
final class Projection {

    private final List<SelectItem.Path> items;

    Projection(List<SelectItem> items) {
        this.items = items.stream().map(SelectItem.Path.class::cast).toList();
    }

    JsonObject of(QueryRow row) {
        JsonObject result = new JsonObject();
        for (SelectItem.Path item : items) {
            JsonElement value = row.attribute(item.path());
            if (value != null) {
                // A copy: the page outlives this read, and the row may hand out its live elements.
                result.add(item.key(), value.deepCopy());
            }
        }
        return result;
    }
}
