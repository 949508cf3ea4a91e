package lab.devicetwins.tutorial.query;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.QueryClientOptions;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.SqlQueryBuilder;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.twin.Twin;

/**
 * Step 3, the queries of "Get started with device twins", with iot-service-client 2.1.9: the devices in plant
 * Redmond43, then those of them that report a cellular connection, page after page. Only the SDK and one
 * environment variable: copy it as it is.
 *
 * <p>Queries need ServiceConnect (IoT Hub's permission reference lists "run queries" there): the article's
 * {@code serviceAndRegistryRead} policy has it.
 */
public final class QueryApp {

    // region::queries
    // SqlQueryBuilder is v2's SqlQuery.createSqlQuery: it writes "SELECT * FROM devices WHERE ...".
    public static final String IN_REDMOND43 = SqlQueryBuilder.createSqlQuery("*", SqlQueryBuilder.FromType.DEVICES,
            "tags.plant = 'Redmond43'", null);
    public static final String IN_REDMOND43_ON_CELLULAR = SqlQueryBuilder.createSqlQuery("*", SqlQueryBuilder.FromType.DEVICES,
            "tags.plant = 'Redmond43' AND properties.reported.connectivityType = 'cellular'", null);
    // end::queries

    private final QueryClient queryClient;
    private final PrintStream out;

    /** The device ids each query returned. */
    public record Result(List<String> inRedmond43, List<String> inRedmond43OnCellular) {
    }

    /** Against any hub whose certificate the JDK trusts (a real one): {@code IOTHUB_SERVICE_CONNECTION_STRING}. */
    public static void main(String[] args) throws Exception {
        String connectionString = System.getenv("IOTHUB_SERVICE_CONNECTION_STRING");
        if (connectionString == null || !connectionString.contains("SharedAccessKeyName=")) {
            throw new IllegalArgumentException("Set IOTHUB_SERVICE_CONNECTION_STRING to a shared access policy's"
                    + " connection string (HostName=...;SharedAccessKeyName=...;SharedAccessKey=...)");
        }
        new QueryApp(connectionString, QueryClientOptions.builder().build(), System.out).run();
    }

    /** @param options SDK client options; for a local hub without port 443 they carry its proxy (QueryAppLauncher) */
    public QueryApp(String connectionString, QueryClientOptions options, PrintStream out) {
        // region::connect
        // v2's QueryClient runs the queries the article runs through DeviceTwin.queryTwin.
        queryClient = new QueryClient(connectionString, options);
        // end::connect
        this.out = out;
    }

    /** Section "Create a device twin query": both of the article's queries, with its page sizes (100, then 3). */
    public Result run() throws IotHubException, IOException {
        out.println("Devices in Redmond43:");
        List<String> inPlant = deviceIds(IN_REDMOND43, 100);
        out.println("Devices in Redmond43 using a cellular network:");
        List<String> onCellular = deviceIds(IN_REDMOND43_ON_CELLULAR, 3);
        return new Result(inPlant, onCellular);
    }

    // region::paging
    /**
     * Runs a query and walks every page. The page size goes along with each call of {@code next}: without it,
     * the SDK asks for the following pages with its default size (50), not the one the query started with.
     */
    public List<String> deviceIds(String query, int pageSize) throws IotHubException, IOException {
        QueryPageOptions pages = QueryPageOptions.builder().pageSize(pageSize).build();
        TwinQueryResponse response = queryClient.queryTwins(query, pages);
        List<String> ids = new ArrayList<>();
        while (response.hasNext()) {
            Twin twin = response.next(pages);
            ids.add(twin.getDeviceId());
            out.println("  " + twin.getDeviceId());
        }
        return ids;
    }
    // end::paging
}
