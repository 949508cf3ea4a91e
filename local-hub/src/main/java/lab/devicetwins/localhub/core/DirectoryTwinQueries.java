package lab.devicetwins.localhub.core;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import lab.devicetwins.localhub.query.EqualityLookup;
import lab.devicetwins.localhub.query.QueryPage;
import lab.devicetwins.localhub.query.QueryRow;
import lab.devicetwins.localhub.query.TwinQuery;
import lab.devicetwins.localhub.query.TwinQueryEngine;
import lab.devicetwins.localhub.query.TwinSource;

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

    /** How rows are written out, for an index that renders the same rows. */
    TwinRenderer renderer() {
        return renderer;
    }

    /** The rows of a collection, as they are now. */
    TwinSource source(TwinQuery.Collection collection) {
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
        // an entry's identity and twin are read when the query reaches it, not when the page starts
        return TwinRow.rows(entries, DeviceEntry::identity, DeviceEntry::twin, renderer);
    }
}
