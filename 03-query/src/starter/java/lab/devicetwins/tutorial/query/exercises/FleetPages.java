package lab.devicetwins.tutorial.query.exercises;

import java.io.IOException;
import java.util.List;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;

/**
 * Exercise ex-03-1-paging: a query over a fleet comes back in pages. The SDK's {@link TwinQueryResponse} fetches
 * the next page inside {@code next(options)} once the current one is used up, with the page size of the
 * options given to that call, and takes the page's continuation token from the response; so a new page shows as
 * a change of {@link TwinQueryResponse#getContinuationToken()}.
 */
public final class FleetPages {

    private final QueryClient queries;

    public FleetPages(QueryClient queries) {
        this.queries = queries;
    }

    /**
     * The device ids the query returns, page by page as the hub served them, asking for {@code pageSize} twins on
     * every request (the first and each following one).
     */
    public List<List<String>> deviceIdPages(String query, int pageSize) throws IotHubException, IOException {
        throw new UnsupportedOperationException("ex-03-1-paging: run queryTwins with pageSize, call next(options) with"
                + " the same options on every twin, and start a new page whenever getContinuationToken()"
                + " changes (FleetPages.deviceIdPages)");
    }
}
