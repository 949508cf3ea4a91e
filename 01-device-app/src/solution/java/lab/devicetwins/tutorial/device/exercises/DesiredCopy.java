package lab.devicetwins.tutorial.device.exercises;

import java.util.Map;

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
        if (patch.getVersion() == null || (version() != null && patch.getVersion() <= version())) {
            return false;
        }
        for (Map.Entry<String, Object> change : patch.entrySet()) {
            if (change.getValue() == null) {
                desired.remove(change.getKey());
            } else {
                desired.put(change.getKey(), change.getValue());
            }
        }
        desired.setVersion(patch.getVersion());
        return true;
    }

    /**
     * After a reconnect: takes the desired properties of the twin fetched now when they are newer than the copy
     * (they moved on while the device was offline).
     *
     * @return whether the copy changed
     */
    public boolean catchUp(TwinCollection fetched) {
        if (fetched.getVersion() == null || (version() != null && fetched.getVersion() <= version())) {
            return false;
        }
        desired.clear();
        if (!fetched.isEmpty()) { // TwinCollection.putAll refuses an empty map
            desired.putAll(fetched);
        }
        desired.setVersion(fetched.getVersion());
        return true;
    }
}
