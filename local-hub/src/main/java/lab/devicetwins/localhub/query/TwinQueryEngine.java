package lab.devicetwins.localhub.query;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/**
 * Runs twin queries over the twins a {@link TwinSource} supplies and pages the results. Each page reads the twins as
 * they are when it is asked for (a twin written a moment ago is found at once) and starts strictly after the last
 * key of the previous page: the device id, or for aggregates the group key.
 */
public final class TwinQueryEngine {

    /**
     * Page size when the request has no {@code x-ms-max-item-count}. The Java SDK always sends one (50 by default);
     * other clients get the largest page the hub serves.
     */
    public static final int DEFAULT_PAGE_SIZE = 100;

    /**
     * Largest page served. IoT Hub's docs put the page size at "up to 100" and let the service use a different value
     * than the one asked for, so larger requests are served in pages of this size rather than refused.
     */
    public static final int MAX_PAGE_SIZE = 100;

    /**
     * Runs one page of a query over the given twins.
     *
     * @param twins             the twins to query, in device id order
     * @param queryText         the {@code query} field of the request body
     * @param maxItemCount      the {@code x-ms-max-item-count} header, or null when absent
     * @param continuationToken the {@code x-ms-continuation} header, or null (or empty) on the first page
     * @throws HubException {@link HubErrorCode#ARGUMENT_INVALID} for an invalid query, page size or token, and for
     *                      a SUM or AVG beyond the range of a double
     */
    public QueryPage execute(TwinSource twins, String queryText, Integer maxItemCount, String continuationToken) {
        return executeOver(collection -> twins, queryText, maxItemCount, continuationToken);
    }

    /**
     * Runs one page of a query over the twins of the collection it names ({@code FROM devices} or
     * {@code FROM devices.modules}); otherwise as {@link #execute(TwinSource, String, Integer, String)}.
     */
    public QueryPage executeOver(Function<TwinQuery.Collection, TwinSource> collections, String queryText,
                             Integer maxItemCount, String continuationToken) {
        TwinQuery query = TwinQuery.parse(queryText);
        TwinSource twins = collections.apply(query.collection());
        int pageSize = pageSize(maxItemCount);
        Optional<ContinuationToken> after = continuationToken == null || continuationToken.isEmpty()
                ? Optional.empty()
                : Optional.of(ContinuationToken.decode(continuationToken, query));
        int returned = after.map(ContinuationToken::returned).orElse(0);
        int limit = query.top().isPresent() ? Math.min(pageSize, query.top().getAsInt() - returned) : pageSize;
        String itemType = query.collection() == TwinQuery.Collection.JOBS ? QueryPage.DEVICE_JOB
                : query.selectsWholeTwins() ? QueryPage.TWIN : QueryPage.RAW;
        if (limit <= 0) {
            return new QueryPage(List.of(), Optional.empty(), itemType);
        }
        String lastKey = after.map(ContinuationToken::lastKey).orElse(null);
        // One row more than the page holds tells whether another page exists, so a token never leads to nothing
        // (unless that row is deleted before the client asks).
        List<ResultRow> rows = query.isAggregate()
                ? groupRows(query, twins, lastKey, limit + 1)
                : twinRows(query, twins, lastKey, limit + 1);
        boolean more = rows.size() > limit;
        List<ResultRow> page = more ? rows.subList(0, limit) : rows;
        if (query.top().isPresent() && returned + page.size() >= query.top().getAsInt()) {
            more = false;
        }
        Optional<String> next = more
                ? Optional.of(ContinuationToken.after(query, page.get(page.size() - 1).sortKey(), returned + limit).encode())
                : Optional.empty();
        List<JsonObject> items = new ArrayList<>(page.size());
        for (ResultRow row : page) {
            items.add(row.item().get());
        }
        return new QueryPage(items, next, itemType);
    }

    /** A result row: the key the next page starts after, and its result object, rendered only if it is sent. */
    private record ResultRow(String sortKey, Supplier<JsonObject> item) {}

    private static List<ResultRow> twinRows(TwinQuery query, TwinSource source, String lastDeviceId, int count) {
        ConditionEvaluator condition = query.condition().map(ConditionEvaluator::new).orElse(null);
        Projection projection = query.selectsWholeTwins() ? null : new Projection(query.selectItems());
        List<ResultRow> rows = new ArrayList<>(count);
        for (QueryRow row : candidates(query, source, lastDeviceId)) {
            if (condition == null || condition.matches(row)) {
                rows.add(new ResultRow(row.key(), projection == null ? row::document : () -> projection.of(row)));
                if (rows.size() == count) {
                    break;
                }
            }
        }
        return rows;
    }

    /** Every page aggregates all matching twins again, then pages through the groups by their key. */
    private static List<ResultRow> groupRows(TwinQuery query, TwinSource source, String lastKey, int count) {
        ConditionEvaluator condition = query.condition().map(ConditionEvaluator::new).orElse(null);
        Aggregation aggregation = new Aggregation(query);
        for (QueryRow row : candidates(query, source, null)) {
            if (condition == null || condition.matches(row)) {
                aggregation.add(row);
            }
        }
        List<ResultRow> rows = new ArrayList<>(count);
        for (Aggregation.Group group : aggregation.after(lastKey)) {
            rows.add(new ResultRow(group.key(), group::item));
            if (rows.size() == count) {
                break;
            }
        }
        return rows;
    }

    /** The rows an index narrows the condition to, or every row after the last one sent. */
    private static Iterable<QueryRow> candidates(TwinQuery query, TwinSource source, String lastDeviceId) {
        return query.condition().flatMap(EqualityLookup::in)
                .flatMap(lookup -> source.matching(lookup, lastDeviceId))
                .orElseGet(() -> source.after(lastDeviceId));
    }

    private static int pageSize(Integer maxItemCount) {
        if (maxItemCount == null) {
            return DEFAULT_PAGE_SIZE;
        }
        if (maxItemCount < 1) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID,
                    "x-ms-max-item-count must be a positive number of items per page, not " + maxItemCount);
        }
        return Math.min(maxItemCount, MAX_PAGE_SIZE);
    }
}
