package lab.devicetwins.tutorial.device.exercises;

import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;

/**
 * Exercise ex-01-2-offline-catch-up: the device's own copy of its desired properties, kept right across
 * disconnections. The hub sends desired changes only while the device is connected and queues nothing, so after
 * (re)connecting the device fetches its twin; notifications that the fetched twin already contains
 * ({@code $version} not newer) are ignored.
 */
public final class DesiredCopy {

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
     * Merges a desired-property notification into the copy: a property set to null is removed, the others are
     * set, and the copy takes the patch's {@code $version}. A patch whose {@code $version} is not newer than the
     * copy's is already contained and is ignored.
     *
     * @return whether the copy changed
     */
    public boolean apply(TwinCollection patch) {
        throw new UnsupportedOperationException("ex-01-2-offline-catch-up: ignore a patch whose $version is not newer"
                + " than version(), else merge it (null removes) and take its $version (DesiredCopy.apply)");
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
