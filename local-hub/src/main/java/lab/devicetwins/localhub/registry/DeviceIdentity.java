package lab.devicetwins.localhub.registry;

import java.time.Instant;
import java.util.Objects;
import lab.devicetwins.localhub.twin.HubTimestamp;

/**
 * A device in the identity registry: its keys, status and connection facts. Immutable; every change makes a new
 * value with a new {@link #etag()}.
 */
public record DeviceIdentity(
        String deviceId,
        String generationId,
        String etag,
        DeviceStatus status,
        String statusReason,
        Instant statusUpdatedTime,
        String primaryKey,
        String secondaryKey,
        ConnectionState connectionState,
        Instant connectionStateUpdatedTime,
        Instant lastActivityTime,
        boolean iotEdge) {

    /** The hub's "never" for timestamps, as IoT Hub sends it. */
    public static final Instant NEVER = HubTimestamp.NEVER;

    public DeviceIdentity {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(connectionState, "connectionState");
    }

    public boolean enabled() {
        return status == DeviceStatus.ENABLED;
    }

    public DeviceIdentity withConnection(ConnectionState state, Instant at) {
        return new DeviceIdentity(deviceId, generationId, etag, status, statusReason, statusUpdatedTime, primaryKey,
                secondaryKey, state, at, lastActivityTime, iotEdge);
    }

    public DeviceIdentity withLastActivity(Instant at) {
        return new DeviceIdentity(deviceId, generationId, etag, status, statusReason, statusUpdatedTime, primaryKey,
                secondaryKey, connectionState, connectionStateUpdatedTime, at, iotEdge);
    }
}
