package lab.devicetwins.localhub.core;

import java.time.Duration;
import lab.devicetwins.localhub.query.QueryPage;
import lab.devicetwins.localhub.query.TwinQuery;
import lab.devicetwins.localhub.query.TwinQueryEngine;

/**
 * Twin queries as a real IoT Hub answers them: from an index that is eventually consistent. {@code FROM devices}
 * and {@code FROM devices.modules} read a {@link DelayedQueryIndex} that trails committed writes by the hub profile's
 * query lag, so a tag just written, a device just created or deleted, a status or connection just changed show in
 * queries only once the lag has passed; twin and registry reads ({@code GET /twins/{id}}) are never stale.
 * {@code FROM devices.jobs} is read where {@link DirectoryTwinQueries} reads it. Paging continues after the last key
 * sent, over the index as it is when the next page is asked for.
 */
public final class LaggingTwinQueries implements TwinQueries {
    private final DelayedQueryIndex index;
    private final DirectoryTwinQueries live;
    private final TwinQueryEngine engine = new TwinQueryEngine();

    private LaggingTwinQueries(DelayedQueryIndex index, DirectoryTwinQueries live) {
        this.index = index;
        this.live = live;
    }

    /**
     * Queries over an index of {@code directory} that trails it by {@code lag}, rendering rows as {@code live} does
     * and reading {@code devices.jobs} from it. The index starts from what the directory holds now.
     *
     * @throws IllegalArgumentException when the lag is not positive (then {@code live} is the one to use)
     */
    public static LaggingTwinQueries over(DeviceDirectory directory, Duration lag, DirectoryTwinQueries live) {
        return new LaggingTwinQueries(DelayedQueryIndex.of(directory, lag, live.renderer()), live);
    }

    @Override
    public QueryPage page(String queryText, Integer maxItemCount, String continuationToken) {
        return engine.executeOver(collection -> collection == TwinQuery.Collection.JOBS
                ? live.source(collection)
                : index.source(collection == TwinQuery.Collection.MODULES), queryText, maxItemCount, continuationToken);
    }
}
