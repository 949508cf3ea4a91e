package lab.devicetwins.tutorial.service.exercises;

import java.io.IOException;
import java.util.function.Function;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;

/**
 * Exercise ex-02-1-if-match-retry: read-modify-write of a twin without losing anybody's update. The patch is
 * sent with {@code If-Match: <the etag read>}, so the hub refuses it (412 precondition failed) when the twin
 * changed since it was read; the update then starts over from a fresh read.
 */
public final class OptimisticTwinUpdate {

    /** Reads (and writes) at most this many times before giving up. */
    public static final int ATTEMPTS = 3;

    private final TwinClient twins;

    public OptimisticTwinUpdate(TwinClient twins) {
        this.twins = twins;
    }

    /**
     * Reads the twin, asks {@code change} for the patch to write on top of what was read, and writes it only if
     * the twin is still the one that was read. On 412 starts over with a fresh read, at most {@link #ATTEMPTS}
     * times; then the last {@link IotHubPreconditionFailedException} is thrown.
     *
     * @param change computes the patch (a {@code new Twin(deviceId)} with the tags or desired properties to
     *               change) from the twin as read
     * @return the twin after the write, as the hub returned it
     */
    public Twin update(String deviceId, Function<Twin, Twin> change) throws IotHubException, IOException {
        throw new UnsupportedOperationException("ex-02-1-if-match-retry: read the twin, patch change.apply(read) with"
                + " If-Match read.getETag(), and on IotHubPreconditionFailedException start over, at most"
                + " ATTEMPTS times (OptimisticTwinUpdate.update)");
    }
}
