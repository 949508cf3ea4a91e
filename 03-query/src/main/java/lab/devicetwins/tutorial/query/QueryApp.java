package lab.devicetwins.tutorial.query;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.QueryClientOptions;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.twin.Twin;

import lab.devicetwins.tutorial.shared.TargetHub;

/**
 * Step 3, the queries of "Get started with device twins": the devices in plant Redmond43, then those of them
 * that report a cellular connection. Prints the device ids, page after page.
 *
 * <p>Run it with {@code ./mvnw -q -pl 03-query exec:java}. It needs RegistryRead.
 */
public final class QueryApp {

    // region::queries
    public static final String IN_REDMOND43 = "SELECT * FROM devices WHERE tags.plant = 'Redmond43'";
    public static final String IN_REDMOND43_ON_CELLULAR =
            "SELECT * FROM devices WHERE tags.plant = 'Redmond43' AND properties.reported.connectivityType = 'cellular'";
    // end::queries

    private final QueryClient queryClient;
    private final PrintStream out;

    /** The device ids each query returned. */
    public record Result(List<String> inRedmond43, List<String> inRedmond43OnCellular) {
    }

    public static void main(String[] args) throws Exception {
        try (TargetHub hub = TargetHub.resolve()) {
            new QueryApp(hub.serviceConnectionString(), hub.queryClientOptions(), System.out).run();
        }
    }

    public QueryApp(String connectionString, QueryClientOptions options, PrintStream out) {
        // region::connect
        queryClient = new QueryClient(connectionString, options);
        // end::connect
        this.out = out;
    }

    /** Section "Create a device twin query": runs both of the article's queries. */
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
