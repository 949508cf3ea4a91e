package lab.devicetwins.localhub.core;

import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.query.QueryPage;

/**
 * Runs twin queries: "this query, this page size, from this continuation token". Where the rows come from and how
 * the condition is evaluated is the implementation's business; endpoints see only this.
 */
public interface TwinQueries {

    /**
     * One page of a query's results.
     *
     * @param maxItemCount      the requested page size, or null for the default
     * @param continuationToken the token of the previous page, or null for the first
     * @throws HubException {@link HubErrorCode#ARGUMENT_INVALID} for an invalid query, page size or token
     */
    QueryPage page(String queryText, Integer maxItemCount, String continuationToken);
}
