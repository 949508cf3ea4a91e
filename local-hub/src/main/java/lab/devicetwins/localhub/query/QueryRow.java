package lab.devicetwins.localhub.query;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import lab.devicetwins.localhub.registry.IdentityKey;

/**
 * One twin as a query reads it. The evaluator reads values only through {@link #attribute}, and asks for the
 * {@link #document} only of rows that go out on a page, so an implementation can resolve paths without rendering
 * whole twins.
 *
 * <p>Neither the evaluator nor its callers modify what these methods return; implementations may hand out their
 * own elements. Values that end up in a page are copied first, so a page never shares structure with a row except
 * through {@link #document}.
 */
public interface QueryRow {

    /**
     * The key rows are ordered and paged by: the twin's device id, or {@code {deviceId}/{moduleId}} for a module twin
     * ({@link lab.devicetwins.localhub.registry.IdentityKey}).
     */
    String key();

    /**
     * The value at a path of the twin as {@code GET /twins/{id}} returns it, such as {@code status},
     * {@code tags.location.region} or {@code properties.desired.$version}; {@link com.google.gson.JsonNull} for a
     * property whose value is null, and Java {@code null} when the path leads nowhere (a missing member, or a
     * segment applied to something that is not an object: arrays are not indexed).
     *
     * <p>The path is already in canonical case ({@link AttributePath} guarantees it): {@code deviceId},
     * {@code properties.reported}, … as the hub writes them, so a lookup is exact. Numbers should keep the text
     * the twin holds ({@code 1.50} stays {@code 1.50}), since projections send them unchanged.
     */
    JsonElement attribute(AttributePath path);

    /**
     * The whole twin as {@code GET /twins/{id}} returns it, for {@code SELECT *}. Called only for rows on the page
     * being returned; the page keeps the object, so return one that nobody modifies afterwards.
     */
    JsonObject document();

    /**
     * A row over a rendered twin document, found by walking it. The document must have a string {@code deviceId}
     * (and a module twin its {@code moduleId}) and must not be modified while the row is in use.
     *
     * @throws IllegalArgumentException when the document has no string {@code deviceId}
     */
    static QueryRow of(JsonObject twinDocument) {
        JsonElement id = twinDocument.get("deviceId");
        if (!(id instanceof JsonPrimitive primitive) || !primitive.isString()) {
            throw new IllegalArgumentException("a twin document needs a string deviceId");
        }
        JsonElement module = twinDocument.get("moduleId");
        String deviceId = module instanceof JsonPrimitive m && m.isString()
                ? IdentityKey.of(primitive.getAsString(), m.getAsString()) : primitive.getAsString();
        return new QueryRow() {
            @Override
            public String key() {
                return deviceId;
            }

            @Override
            public JsonElement attribute(AttributePath path) {
                return valueAt(twinDocument, path);
            }

            @Override
            public JsonObject document() {
                return twinDocument;
            }

            @Override
            public String toString() {
                return "QueryRow(" + deviceId + ")";
            }
        };
    }

    /** The value at {@code path} of a rendered twin document, with the semantics of {@link #attribute}. */
    static JsonElement valueAt(JsonObject twinDocument, AttributePath path) {
        JsonElement current = twinDocument;
        for (String segment : path.segments()) {
            if (!(current instanceof JsonObject object)) {
                return null;
            }
            current = object.get(segment);
        }
        return current;
    }
}
