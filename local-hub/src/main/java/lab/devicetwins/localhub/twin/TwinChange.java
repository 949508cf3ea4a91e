package lab.devicetwins.localhub.twin;

import com.google.gson.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one twin write.
 *
 * @param after the twin after the write (the same instance as before when nothing changed)
 * @param changed whether the write changed the twin (and so its version and etag)
 * @param desiredNotification what a connected device must be sent because desired properties changed: the patch as
 *        the back end wrote it (nulls kept) or the full new desired properties for a replace, plus
 *        {@code "$version"}; empty when desired properties did not change
 */
public record TwinChange(TwinDocument after, boolean changed, Optional<JsonObject> desiredNotification) {
    public TwinChange {
        Objects.requireNonNull(after, "after");
        desiredNotification = Objects.requireNonNull(desiredNotification, "desiredNotification").map(JsonObject::deepCopy);
    }

    /** A copy each time: the notification is handed to transports that may add to it. */
    @Override
    public Optional<JsonObject> desiredNotification() {
        return desiredNotification.map(JsonObject::deepCopy);
    }

    static TwinChange unchanged(TwinDocument twin) {
        return new TwinChange(twin, false, Optional.empty());
    }
}
