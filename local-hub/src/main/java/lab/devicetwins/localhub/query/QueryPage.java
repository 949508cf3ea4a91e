package lab.devicetwins.localhub.query;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * One page of query results: the body of the {@code POST /devices/query} response, the {@code x-ms-continuation}
 * header (present only when another page exists) and the {@code x-ms-item-type} header.
 */
public record QueryPage(List<JsonObject> items, Optional<String> continuationToken, String itemType) {

    /** Item type of pages of whole device twins ({@code SELECT *}). */
    public static final String TWIN = "twin";
    /** Item type of {@code devices.jobs} rows: a device's part in a job. */
    public static final String DEVICE_JOB = "deviceJob";
    /** Item type of projections and aggregates: JSON objects that are not twins. */
    public static final String RAW = "raw";

    public QueryPage {
        items = List.copyOf(items);
        if (continuationToken.isPresent() && continuationToken.get().isEmpty()) {
            // The Java service SDK reads an empty token as "more pages" and re-asks forever.
            throw new IllegalArgumentException("a continuation token must not be empty");
        }
    }
}
