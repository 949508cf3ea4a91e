package lab.devicetwins.localhub.it.query;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.RawQueryResponse;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads query results through the SDK's iterators and splits them into the pages the hub sent. The SDK hides pages;
 * a page starts where the continuation token it holds changes, because it fetches a page only when the previous one
 * is used up and then replaces the token with the new page's one.
 */
final class QueryPages {
    private QueryPages() {
    }

    /** Something to do between two pages, once the previous page is used up and before the next is requested. */
    @FunctionalInterface
    interface BetweenPages {
        void run(int pagesRead, List<String> idsSoFar) throws Exception;
    }

    /** Device ids page by page; {@code options} go to every {@code next(...)}, so follow-up pages keep their size. */
    static List<List<String>> twinPages(TwinQueryResponse response, QueryPageOptions options, int expectedPageSize,
                                        BetweenPages between) throws Exception {
        List<List<String>> pages = new ArrayList<>();
        List<String> current = new ArrayList<>();
        pages.add(current);
        List<String> all = new ArrayList<>();
        while (response.hasNext()) {
            if (current.size() == expectedPageSize) {
                between.run(pages.size(), List.copyOf(all));
            }
            String tokenBefore = response.getContinuationToken();
            Twin twin = options == null ? response.next() : response.next(options);
            if (!Objects.equals(tokenBefore, response.getContinuationToken())) {
                current = new ArrayList<>();
                pages.add(current);
            }
            current.add(twin.getDeviceId());
            all.add(twin.getDeviceId());
        }
        return pages;
    }

    static List<List<String>> twinPages(TwinQueryResponse response, QueryPageOptions options) throws Exception {
        return twinPages(response, options, -1, (pages, ids) -> { });
    }

    /** The JSON texts of raw results, page by page. */
    static List<List<String>> rawPages(RawQueryResponse response, QueryPageOptions options)
            throws IOException, IotHubException {
        List<List<String>> pages = new ArrayList<>();
        List<String> current = new ArrayList<>();
        pages.add(current);
        while (response.hasNext()) {
            String tokenBefore = response.getContinuationToken();
            String item = response.next(options);
            if (!Objects.equals(tokenBefore, response.getContinuationToken())) {
                current = new ArrayList<>();
                pages.add(current);
            }
            current.add(item);
        }
        return pages;
    }

    static <T> List<T> flatten(List<List<T>> pages) {
        return pages.stream().flatMap(List::stream).toList();
    }

    static List<Integer> sizes(List<? extends List<?>> pages) {
        return pages.stream().map(List::size).toList();
    }
}
