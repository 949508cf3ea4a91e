package lab.devicetwins.tutorial.query.exercises;

import java.io.IOException;
import java.util.List;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;

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
        throw new UnsupportedOperationException("ex-03-3-lagging: query the deviceId of twins whose desired property"
                + " is defined and whose reported one is undefined or different, and return them"
                + " (LaggingDevices.lagging)");
    }
}
