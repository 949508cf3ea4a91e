package lab.devicetwins.localhub.registry;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import lab.devicetwins.localhub.twin.HubTimestamp;

/**
 * A device or a module in the identity registry: how it authenticates, its status, connection facts, and where it
 * sits among IoT Edge devices. A module identity belongs to a device ({@link #deviceId()}) and has its own keys,
 * etag, connection state and twin; it has no status of its own (always enabled: its device's status decides) and no
 * capabilities or scopes. Immutable; every change makes a new value with a new {@link #etag()}.
 *
 * @param deviceScope an IoT Edge device's own scope ({@code ms-azure-iot-edge://{id}-{generationId}}, made by the
 *     hub), or for a leaf device the scope of its parent edge device; null when it has neither
 * @param parentScopes the scope of the parent edge device (at most one, as IoT Hub allows), empty when none
 * @param modelId the IoT Plug and Play model id the device last announced when it connected (the {@code model-id} of
 *     its MQTT user name), or null when it never did
 * @param moduleId the module's id for a module identity, null for a device
 * @param managedBy who manages a module ({@code managedBy} as the service sent it, e.g. {@code iotEdge}); null for a
 *     device
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
        String modelId,
        String moduleId,
        String managedBy) {

    /** The hub's "never" for timestamps, as IoT Hub sends it. */
    public static final Instant NEVER = HubTimestamp.NEVER;

    public DeviceIdentity {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(connectionState, "connectionState");
        parentScopes = parentScopes == null ? List.of() : List.copyOf(parentScopes);
    }

    /** A new module identity: enabled, disconnected, without scopes. */
    public static DeviceIdentity module(String deviceId, String moduleId, String managedBy, String generationId,
                                        String etag, Authentication authentication) {
        Objects.requireNonNull(moduleId, "moduleId");
        return new DeviceIdentity(deviceId, generationId, etag, DeviceStatus.ENABLED, null, NEVER, authentication,
                ConnectionState.DISCONNECTED, NEVER, NEVER, false, null, List.of(), null, moduleId, managedBy);
    }

    public boolean isModule() {
        return moduleId != null;
    }

    /**
     * The identity's id in the hub: the device id, or {@code {deviceId}/{moduleId}} for a module (no id holds a
     * {@code /}, so the two never collide). It is also the MQTT client id the identity connects with.
     */
    public String key() {
        return moduleId == null ? deviceId : IdentityKey.of(deviceId, moduleId);
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
                state, at, lastActivityTime, iotEdge, deviceScope, parentScopes, modelId, moduleId, managedBy);
    }

    public DeviceIdentity withLastActivity(Instant at) {
        return new DeviceIdentity(deviceId, generationId, etag, status, statusReason, statusUpdatedTime, authentication,
                connectionState, connectionStateUpdatedTime, at, iotEdge, deviceScope, parentScopes, modelId, moduleId, managedBy);
    }

    public DeviceIdentity withModelId(String announced) {
        return new DeviceIdentity(deviceId, generationId, etag, status, statusReason, statusUpdatedTime, authentication,
                connectionState, connectionStateUpdatedTime, lastActivityTime, iotEdge, deviceScope, parentScopes,
                announced, moduleId, managedBy);
    }
}
