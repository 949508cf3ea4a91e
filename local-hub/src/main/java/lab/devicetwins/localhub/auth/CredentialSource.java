package lab.devicetwins.localhub.auth;

import java.util.Optional;

/** Where the {@link Authenticator} looks up keys: the hub's policies and its device registry. */
public interface CredentialSource {

    /** The policy with this exact name, if the hub has one. */
    Optional<SharedAccessPolicy> policy(String name);

    /** The registered device with this exact (case-sensitive) id, if any. */
    Optional<DeviceCredentials> device(String deviceId);
}
