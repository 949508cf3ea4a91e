package lab.devicetwins.tutorial.service.exercises;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;

/**
 * Exercise ex-02-3-await-ack: a desired change is only a request. The back end knows the device took it when the
 * device acknowledges it in its reported properties ({@code name: {"value", "ac": 200, "av": <desired $version>}},
 * see exercise ex-01-1-ack-desired) with the version of that change or a newer one.
 */
public final class DesiredChangeTracker {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final TwinClient twins;

    public DesiredChangeTracker(TwinClient twins) {
        this.twins = twins;
    }

    /** Sets one desired property; returns the desired {@code $version} the hub gave this change. */
    public int set(String deviceId, String property, Object value) throws IotHubException, IOException {
        throw new UnsupportedOperationException("ex-02-3-await-ack: patch one desired property and return the desired"
                + " $version of the twin the hub answers with (DesiredChangeTracker.set)");
    }

    /**
     * Whether the twin's reported properties acknowledge the desired change with {@code version}: the property
     * is an object with {@code ac} 200 and {@code av} at least {@code version} (a newer change covers older ones).
     */
    public static boolean isAcknowledged(Twin twin, String property, int version) {
        throw new UnsupportedOperationException("ex-02-3-await-ack: tell whether reported.<property> is an"
                + " acknowledgement with ac 200 and av >= version (DesiredChangeTracker.isAcknowledged)");
    }

    /**
     * Reads the twin until it acknowledges the change with {@code version}, about every 200 ms.
     *
     * @return the twin that holds the acknowledgement
     * @throws TimeoutException when there is none after {@code timeout}
     */
    public Twin awaitAcknowledgement(String deviceId, String property, int version, Duration timeout)
            throws IotHubException, IOException, InterruptedException, TimeoutException {
        throw new UnsupportedOperationException("ex-02-3-await-ack: read the twin every POLL_INTERVAL until"
                + " isAcknowledged, or throw TimeoutException after timeout"
                + " (DesiredChangeTracker.awaitAcknowledgement)");
    }
}
