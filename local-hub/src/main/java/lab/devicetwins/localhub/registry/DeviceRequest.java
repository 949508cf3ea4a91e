package lab.devicetwins.localhub.registry;

import java.util.List;
import java.util.Objects;

/**
 * What a create or update of a device asks for. The authentication may be null (not given) and symmetric keys in it
 * may be null: the hub then makes keys (create) or keeps the current ones (update). The scopes are taken as IoT Hub
 * takes them: an edge device's own scope is the hub's to make, so {@code deviceScope} only means something for a leaf
 * device (its parent's scope).
 */
public record DeviceRequest(String deviceId, DeviceStatus status, String statusReason, Authentication authentication,
                            boolean iotEdge, String deviceScope, List<String> parentScopes) {

    public DeviceRequest {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(status, "status");
        parentScopes = parentScopes == null ? List.of() : List.copyOf(parentScopes);
    }

    /** An enabled device with symmetric keys (null: made by the hub), no edge capability and no parent. */
    public static DeviceRequest withKeys(String deviceId, String primaryKey, String secondaryKey) {
        return new DeviceRequest(deviceId, DeviceStatus.ENABLED, null,
                new Authentication.SymmetricKey(primaryKey, secondaryKey), false, null, List.of());
    }
}
