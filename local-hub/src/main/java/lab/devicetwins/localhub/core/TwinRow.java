package lab.devicetwins.localhub.core;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import lab.devicetwins.localhub.query.AttributePath;
import lab.devicetwins.localhub.query.QueryRow;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.twin.TwinDocument;

/**
 * One device or module as a query reads it: identity and twin taken together, the document rendered at most once.
 * Paths below {@code tags} and {@code properties} are read from the twin without rendering it. A row is for one
 * query page on one thread; make a new one per read rather than sharing it.
 */
final class TwinRow implements QueryRow {
    private final DeviceIdentity identity;
    private final TwinDocument twin;
    private final TwinRenderer renderer;
    private JsonObject document;

    TwinRow(DeviceIdentity identity, TwinDocument twin, TwinRenderer renderer) {
        this.identity = identity;
        this.twin = twin;
        this.renderer = renderer;
    }

    /**
     * Rows made lazily, one per element, as a query reads them: each element's identity and twin taken together
     * when the query reaches it.
     */
    static <T> Iterator<QueryRow> rows(Iterator<T> elements, Function<T, DeviceIdentity> identity,
                                       Function<T, TwinDocument> twin, TwinRenderer renderer) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return elements.hasNext();
            }

            @Override
            public QueryRow next() {
                T element = elements.next();
                return new TwinRow(identity.apply(element), twin.apply(element), renderer);
            }
        };
    }

    @Override
    public String key() {
        return identity.key();
    }

    @Override
    public JsonElement attribute(AttributePath path) {
        List<String> segments = path.segments();
        String first = segments.get(0);
        if (first.equals("tags") || first.equals("properties")) {
            return twin.lookup(segments);
        }
        if (first.equals("deviceId")) {
            return segments.size() == 1 ? new JsonPrimitive(identity.deviceId()) : null;
        }
        if (first.equals("moduleId") && identity.isModule()) {
            return segments.size() == 1 ? new JsonPrimitive(identity.moduleId()) : null;
        }
        return QueryRow.valueAt(document(), path);
    }

    @Override
    public JsonObject document() {
        if (document == null) {
            document = renderer.render(identity, twin);
        }
        return document;
    }
}
