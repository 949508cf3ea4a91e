package lab.devicetwins.localhub.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The hub's default policies plus whatever devices a test registers. */
final class InMemoryCredentials implements CredentialSource {

    private final Map<String, SharedAccessPolicy> policies = new HashMap<>();
    private final Map<String, DeviceCredentials> devices = new HashMap<>();

    InMemoryCredentials() {
        SharedAccessPolicy.defaults().forEach(p -> policies.put(p.name(), p));
    }

    InMemoryCredentials with(DeviceCredentials device) {
        devices.put(device.deviceId(), device);
        return this;
    }

    @Override
    public Optional<SharedAccessPolicy> policy(String name) {
        return Optional.ofNullable(policies.get(name));
    }

    @Override
    public Optional<DeviceCredentials> device(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }
}
