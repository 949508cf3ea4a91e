package lab.devicetwins.tutorial.query.exercises;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.RawQueryResponse;

/**
 * Exercise ex-03-2-group-by: let the hub count. {@code GROUP BY} with {@code COUNT()} returns one row per
 * group ({@code {"connectivityType":"cellular","devices":3}}); rows are not twins, so they are read with
 * {@code queryRaw} as JSON text. Twins without the grouped property form a group without the key.
 */
public final class ConnectivityCounts {

    /** The group of devices that report no {@code connectivityType}. */
    public static final String UNKNOWN = "unknown";

    private ConnectivityCounts() {
    }

    /** How many devices of a plant ({@code tags.plant}) report each {@code connectivityType}, sorted by type. */
    public static Map<String, Integer> byConnectivityType(QueryClient queries, String plant) throws IotHubException, IOException {
        String query = "SELECT properties.reported.connectivityType AS connectivityType, COUNT() AS devices"
                + " FROM devices WHERE tags.plant = '" + plant.replace("'", "\\'") + "'"
                + " GROUP BY properties.reported.connectivityType";
        QueryPageOptions options = QueryPageOptions.builder().pageSize(100).build();
        RawQueryResponse rows = queries.queryRaw(query, options);
        Map<String, Integer> counts = new TreeMap<>();
        while (rows.hasNext()) {
            JsonObject row = JsonParser.parseString(rows.next(options)).getAsJsonObject();
            String type = row.has("connectivityType") ? row.get("connectivityType").getAsString() : UNKNOWN;
            counts.merge(type, row.get("devices").getAsInt(), Integer::sum);
        }
        return counts;
    }
}
