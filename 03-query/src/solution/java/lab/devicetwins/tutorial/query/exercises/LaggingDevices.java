package lab.devicetwins.tutorial.query.exercises;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.RawQueryResponse;

/**
 * Exercise ex-03-3-lagging: find the devices that have not caught up with what the back end asked for: the
 * desired property is set, and the reported one is missing (the device never answered) or different (it has not
 * applied the change yet, or refused it). The hub compares the two paths in the query; only the device ids come
 * back.
 */
public final class LaggingDevices {

    private LaggingDevices() {
    }

    /** The ids of the devices whose reported {@code property} lags the desired one, in the order the hub returns them. */
    public static List<String> lagging(QueryClient queries, String property) throws IotHubException, IOException {
        String desired = "properties.desired." + property;
        String reported = "properties.reported." + property;
        String query = "SELECT deviceId FROM devices WHERE IS_DEFINED(" + desired + ")"
                + " AND (NOT IS_DEFINED(" + reported + ") OR " + desired + " != " + reported + ")";
        QueryPageOptions options = QueryPageOptions.builder().pageSize(100).build();
        RawQueryResponse rows = queries.queryRaw(query, options);
        List<String> ids = new ArrayList<>();
        while (rows.hasNext()) {
            ids.add(JsonParser.parseString(rows.next(options)).getAsJsonObject().get("deviceId").getAsString());
        }
        return ids;
    }
}
