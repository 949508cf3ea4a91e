package lab.devicetwins.localhub.registry;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import lab.devicetwins.localhub.twin.HubTimestamp;

/**
 * A device in the identity registry: how it authenticates, its status, connection facts, and where it sits among
 * IoT Edge devices. Immutable; every change makes a new value with a new {@link #etag()}.
 *
 * @param deviceScope an IoT Edge device's own scope ({@code ms-azure-iot-edge://{id}-{generationId}}, made by the
 *     hub), or for a leaf device the scope of its parent edge device; null when it has neither
 * @param parentScopes the scope of the parent edge device (at most one, as IoT Hub allows), empty when none
 * @param modelId the IoT Plug and Play model id the device last announced when it connected (the {@code model-id} of
 *     its MQTT user name), or null when it never did
 */
public record DeviceIdentity(
        String deviceId,
        String generationId,
        String etag,
        DeviceStatus status,
        String statusReason,
        Instant statusUpdatedTime,
        Authentication authentication,
        ConnectionState connectionState,
        Instant connectionStateUpdatedTime,
        Instant lastActivityTime,
        boolean iotEdge,
        String deviceScope,
        List<String> parentScopes,
        String modelId) {

    /** The hub's "never" for timestamps, as IoT Hub sends it. */
    public static final Instant NEVER = HubTimestamp.NEVER;

    public DeviceIdentity {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(connectionState, "connectionState");
        parentScopes = parentScopes == null ? List.of() : List.copyOf(parentScopes);
    }

    public boolean enabled() {
        return status == DeviceStatus.ENABLED;
    }

    /** The primary symmetric key, or null when the device does not authenticate with keys. */
    public String primaryKey() {
        return authentication instanceof Authentication.SymmetricKey keys ? keys.primaryKey() : null;
    }

    /** The secondary symmetric key, or null when the device does not authenticate with keys. */
    public String secondaryKey() {
        return authentication instanceof Authentication.SymmetricKey keys ? keys.secondaryKey() : null;
    }

    public DeviceIdentity withConnection(ConnectionState state, Instant at) {
        return new DeviceIdentity(deviceId, generationId, etag, status, statusReason, statusUpdatedTime, authentication,
                state, at, lastActivityTime, iotEdge, deviceScope, parentScopes, modelId);
    }

    public DeviceIdentity withLastActivity(Instant at) {
        return new DeviceIdentity(deviceId, generationId, etag, status, statusReason, statusUpdatedTime, authentication,
                connectionState, connectionStateUpdatedTime, at, iotEdge, deviceScope, parentScopes, modelId);
    }

    public DeviceIdentity withModelId(String announced) {
        return new DeviceIdentity(deviceId, generationId, etag, status, statusReason, statusUpdatedTime, authentication,
                connectionState, connectionStateUpdatedTime, lastActivityTime, iotEdge, deviceScope, parentScopes,
                announced);
    }
}
