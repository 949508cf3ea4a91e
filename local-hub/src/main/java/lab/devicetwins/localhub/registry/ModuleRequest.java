package lab.devicetwins.localhub.registry;

import java.util.Objects;

/**
 * What a create or update of a module identity asks for. As for devices, the authentication may be null (not
 * given) and its symmetric keys may be null: the hub then makes keys (create) or keeps the current ones (update).
 *
 * @param managedBy who manages the module ({@code managedBy} as sent, e.g. {@code iotEdge}), null when not given
 */
public record ModuleRequest(String deviceId, String moduleId, String managedBy, Authentication authentication) {

    public ModuleRequest {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(moduleId, "moduleId");
    }

    public String key() {
        return IdentityKey.of(deviceId, moduleId);
    }
}
