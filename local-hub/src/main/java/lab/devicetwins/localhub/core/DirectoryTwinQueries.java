package lab.devicetwins.localhub.core;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import lab.devicetwins.localhub.query.AttributePath;
import lab.devicetwins.localhub.query.EqualityLookup;
import lab.devicetwins.localhub.query.QueryPage;
import lab.devicetwins.localhub.query.QueryRow;
import lab.devicetwins.localhub.query.TwinQuery;
import lab.devicetwins.localhub.query.TwinQueryEngine;
import lab.devicetwins.localhub.query.TwinSource;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.twin.TwinDocument;

/**
 * Twin queries evaluated over the directory's live twins ({@code FROM devices} or {@code FROM devices.modules}), and
 * over the rows of jobs that are set ({@code FROM devices.jobs}), in
 * key order: a write acknowledged is in the next
 * query, and paging continues after the last device id sent. Each row is the device's identity and twin as they are
 * when the query reaches it; paths below {@code tags} and {@code properties} are read from the twin without
 * rendering it, and the whole twin document is rendered only for other paths and for the rows of a page. A
 * condition that requires {@code path = constant} reads only the devices the directory's index on that path names.
 */
public final class DirectoryTwinQueries implements TwinQueries {
    private final DeviceDirectory directory;
    private final TwinRenderer renderer;
    private final TwinQueryEngine engine = new TwinQueryEngine();
    private volatile Supplier<TwinSource> deviceJobs = () -> TwinSource.of(List.of());

    public DirectoryTwinQueries(DeviceDirectory directory, TwinRenderer renderer) {
        this.directory = directory;
        this.renderer = renderer;
    }

    @Override
    public QueryPage page(String queryText, Integer maxItemCount, String continuationToken) {
        return engine.executeOver(this::source, queryText, maxItemCount, continuationToken);
    }

    /** Where {@code FROM devices.jobs} reads its rows; none until set. */
    public void setDeviceJobs(Supplier<TwinSource> deviceJobs) {
        this.deviceJobs = deviceJobs;
    }

    private TwinSource source(TwinQuery.Collection collection) {
        if (collection == TwinQuery.Collection.JOBS) {
            return deviceJobs.get();
        }
        boolean modules = collection == TwinQuery.Collection.MODULES;
        return new TwinSource() {
            @Override
            public Iterable<QueryRow> after(String lastKey) {
                return () -> rows(directory.after(lastKey, modules).iterator());
            }

            @Override
            public Optional<Iterable<QueryRow>> matching(EqualityLookup lookup, String lastKey) {
                Iterable<DeviceEntry> entries = directory.matching(lookup, lastKey, modules);
                return Optional.of(() -> rows(entries.iterator()));
            }
        };
    }

    private Iterator<QueryRow> rows(Iterator<DeviceEntry> entries) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public QueryRow next() {
                DeviceEntry entry = entries.next();
                return new DeviceRow(entry.identity(), entry.twin(), renderer);
            }
        };
    }

    /** One device as a query reads it: identity and twin taken together, the document rendered at most once. */
    private static final class DeviceRow implements QueryRow {
        private final DeviceIdentity identity;
        private final TwinDocument twin;
        private final TwinRenderer renderer;
        private JsonObject document;

        DeviceRow(DeviceIdentity identity, TwinDocument twin, TwinRenderer renderer) {
            this.identity = identity;
            this.twin = twin;
            this.renderer = renderer;
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
}
