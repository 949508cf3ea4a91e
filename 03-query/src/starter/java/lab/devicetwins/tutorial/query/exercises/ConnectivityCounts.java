package lab.devicetwins.tutorial.query.exercises;

import java.io.IOException;
import java.util.Map;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;

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
        throw new UnsupportedOperationException("ex-03-2-group-by: queryRaw a SELECT ... COUNT() ... GROUP BY"
                + " properties.reported.connectivityType for the plant and read each JSON row; a row without"
                + " the key counts as UNKNOWN (ConnectivityCounts.byConnectivityType)");
    }
}
