package lab.devicetwins.localhub.core;

import com.google.gson.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import lab.devicetwins.localhub.twin.TwinChange;
import lab.devicetwins.localhub.twin.TwinDocument;
import lab.devicetwins.localhub.twin.TwinLimits;

/**
 * Twin reads and writes from both sides, for devices and modules alike (an identity is named by its
 * {@link lab.devicetwins.localhub.registry.IdentityKey key}). Reads come from memory; writes apply the twin rules under the device's
 * lock, are committed, and only then answered and (for desired changes) sent to the device.
 */
public final class TwinOperations {
    private final DeviceDirectory directory;
    private volatile DeviceEvents events = DeviceEvents.NONE;

    public TwinOperations(DeviceDirectory directory) {
        this.directory = directory;
    }

    public void setEvents(DeviceEvents events) {
        this.events = events;
    }

    /** The twin limits writes are checked against. */
    public TwinLimits limits() {
        return directory.limits();
    }

    /** The twin as the service reads it. */
    public ServiceTwin serviceView(String deviceId) {
        DeviceEntry entry = directory.require(deviceId);
        return new ServiceTwin(entry.identity(), entry.twin());
    }

    /** The twin as the device reads it over MQTT (its properties, without tags). */
    public TwinDocument deviceView(String deviceId) {
        return directory.require(deviceId).twin();
    }

    /** Service PATCH: merge tags and desired properties. */
    public CompletableFuture<ServiceTwin> patch(String deviceId, JsonObject tags, JsonObject desired, String ifMatch) {
        return serviceWrite(deviceId, ifMatch, twin -> twin.patchFromService(tags, desired, directory.clock().instant()));
    }

    /** Service PUT: replace tags and desired properties. */
    public CompletableFuture<ServiceTwin> replace(String deviceId, JsonObject tags, JsonObject desired, String ifMatch) {
        return serviceWrite(deviceId, ifMatch, twin -> twin.replaceFromService(tags, desired, directory.clock().instant()));
    }

    private CompletableFuture<ServiceTwin> serviceWrite(String deviceId, String ifMatch,
                                                        Function<TwinDocument, TwinChange> write) {
        DeviceEntry entry = directory.require(deviceId);
        synchronized (entry) {
            requireLive(entry, deviceId);
            IdentityRegistry.requireEtag(ifMatch, entry.twin().etag());
            TwinDocument before = entry.twin();
            TwinChange change = write.apply(before);
            if (!change.changed()) {
                return CompletableFuture.completedFuture(new ServiceTwin(entry.identity(), entry.twin()));
            }
            directory.update(entry, entry.identity(), change.after());
            ServiceTwin view = new ServiceTwin(entry.identity(), change.after());
            return directory.saveTwin(entry).thenApply(x -> {
                change.desiredNotification().ifPresent(n -> events.desiredPropertiesChanged(deviceId, n));
                directory.changes().publish(deviceId, TwinChangeFeed.Kind.TWIN, TwinChangeFeed.Writer.SERVICE,
                        view.identity(), before, view.twin());
                return view;
            });
        }
    }

    /** Device reported-properties PATCH; completes with the new reported {@code $version}. */
    public CompletableFuture<Long> patchReported(String deviceId, JsonObject patch, Long expectedVersion) {
        DeviceEntry entry = directory.require(deviceId);
        synchronized (entry) {
            requireLive(entry, deviceId);
            TwinDocument before = entry.twin();
            TwinChange change = before.patchReported(patch, expectedVersion, directory.clock().instant());
            if (!change.changed()) {
                return CompletableFuture.completedFuture(entry.twin().reportedVersion());
            }
            directory.update(entry, entry.identity().withLastActivity(directory.clock().instant()), change.after());
            long version = change.after().reportedVersion();
            var identity = entry.identity();
            return directory.saveTwin(entry).thenApply(x -> {
                directory.changes().publish(deviceId, TwinChangeFeed.Kind.TWIN, TwinChangeFeed.Writer.DEVICE,
                        identity, before, change.after());
                return version;
            });
        }
    }

    private void requireLive(DeviceEntry entry, String key) {
        if (entry.removed()) {
            throw directory.notFound(key);
        }
    }
}
