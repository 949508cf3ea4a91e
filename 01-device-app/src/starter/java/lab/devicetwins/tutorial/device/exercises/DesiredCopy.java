package lab.devicetwins.tutorial.device.exercises;

import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;

/**
 * Exercise ex-01-2-offline-catch-up: the device's own copy of its desired properties, kept right across
 * disconnections and whichever way the back end changed them. The hub sends desired changes only while the device
 * is connected and queues nothing, so after (re)connecting the device fetches its twin; notifications that the
 * fetched twin already contains ({@code $version} not newer) are ignored.
 *
 * <p>A notification carries either the changes of a patch (a null removes a property) or, after the back end
 * replaced the desired properties, the whole new set, which leaves out what the replace removed. It does not say
 * which. Where reading it both ways gives different copies, the twin decides.
 */
public final class DesiredCopy {

    /** The device's way to read the desired properties of its twin now (a twin GET). */
    @FunctionalInterface
    public interface DesiredSource {
        TwinCollection current() throws IotHubClientException, InterruptedException;
    }

    private final TwinCollection desired;

    /** Starts from the desired properties of a twin the device fetched. */
    public DesiredCopy(TwinCollection fetched) {
        desired = new TwinCollection(fetched);
        desired.setVersion(fetched.getVersion());
    }

    /** The desired {@code $version} this copy is at. */
    public Integer version() {
        return desired.getVersion();
    }

    /** The desired value of a property, null when it is not set. */
    public Object get(String name) {
        return desired.get(name);
    }

    /**
     * Takes a desired-property notification into the copy. One whose {@code $version} is not newer than the copy's
     * is already contained and is ignored. One that removes something with a null is a patch: merged (null removes,
     * objects merge member by member). One that names everything the copy holds gives the same copy either way:
     * merged too. Any other may be the full set after a replace: the copy takes the twin's desired properties from
     * {@code twin} instead.
     *
     * @return whether the copy changed
     */
    public boolean apply(TwinCollection notification, DesiredSource twin) throws IotHubClientException, InterruptedException {
        throw new UnsupportedOperationException("ex-01-2-offline-catch-up: ignore a notification whose $version is not"
                + " newer than version(); merge a patch (null removes); when it may be the full set that a replace sent,"
                + " take twin.current() instead (DesiredCopy.apply)");
    }

    /**
     * After a reconnect: takes the desired properties of the twin fetched now when they are newer than the copy
     * (they moved on while the device was offline).
     *
     * @return whether the copy changed
     */
    public boolean catchUp(TwinCollection fetched) {
        throw new UnsupportedOperationException("ex-01-2-offline-catch-up: replace the copy with the desired properties"
                + " fetched after reconnecting when their $version is newer (DesiredCopy.catchUp)");
    }
}
