package lab.devicetwins.localhub.core;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceRequest;

/**
 * IoT Hub's parent and child relationships of IoT Edge: an edge device's own scope is made by the hub
 * ({@code ms-azure-iot-edge://{deviceId}-{generationId}}) and never changes; a leaf device names its parent by
 * setting its {@code deviceScope} to the parent's scope, and the hub copies it into {@code parentScopes}; an edge
 * device names its parent edge device in {@code parentScopes}. At most one parent, and it must be an edge device
 * of this hub.
 */
final class EdgeScopes {
    static final String PREFIX = "ms-azure-iot-edge://";

    private final Function<String, Optional<DeviceIdentity>> devices;

    /** @param devices the registry's devices by id, to check that a scope names an edge device */
    EdgeScopes(Function<String, Optional<DeviceIdentity>> devices) {
        this.devices = devices;
    }

    record Scopes(String deviceScope, List<String> parentScopes) {
    }

    /**
     * The scopes a create ({@code current} null) or update gives the device.
     *
     * @throws HubException 400 when a scope names no edge device of this hub, the device itself, or more than one parent
     */
    Scopes resolve(DeviceRequest request, String generationId, DeviceIdentity current) {
        List<String> parents = request.parentScopes();
        if (parents.size() > 1) {
            throw invalid("a device has at most one parent: 'parentScopes' may hold one scope, not " + parents.size());
        }
        if (request.iotEdge()) {
            String own = current != null && current.iotEdge() && current.deviceScope() != null
                    ? current.deviceScope() : PREFIX + request.deviceId() + "-" + generationId;
            parents.forEach(parent -> requireParent(parent, request.deviceId(), "parentScopes"));
            return new Scopes(own, parents);
        }
        String scope = request.deviceScope() != null ? request.deviceScope() : parents.isEmpty() ? null : parents.get(0);
        if (scope == null) {
            return new Scopes(null, List.of());
        }
        if (!parents.isEmpty() && !parents.get(0).equals(scope)) {
            throw invalid("a leaf device's parentScopes must be its deviceScope '" + scope + "', not '"
                    + parents.get(0) + "'");
        }
        requireParent(scope, request.deviceId(), "deviceScope");
        return new Scopes(scope, List.of(scope));
    }

    private void requireParent(String scope, String deviceId, String member) {
        String parentId = scope.startsWith(PREFIX) && scope.lastIndexOf('-') > PREFIX.length()
                ? scope.substring(PREFIX.length(), scope.lastIndexOf('-')) : null;
        Optional<DeviceIdentity> parent = parentId == null ? Optional.empty() : devices.apply(parentId);
        if (parent.isEmpty() || !parent.get().iotEdge() || !scope.equals(parent.get().deviceScope())) {
            throw invalid(member + " '" + scope + "' is not the scope of an IoT Edge device on this hub;"
                    + " read it from the parent's deviceScope");
        }
        if (parentId.equals(deviceId)) {
            throw invalid("device '" + deviceId + "' cannot be its own parent");
        }
    }

    private static HubException invalid(String message) {
        return new HubException(HubErrorCode.ARGUMENT_INVALID, message);
    }
}
