package lab.devicetwins.localhub.auth;

import java.util.Objects;
import lab.devicetwins.localhub.registry.Authentication;

/**
 * What the hub needs to authenticate one device: how it is registered to prove who it is (symmetric keys, a
 * certificate's thumbprints, a CA-signed certificate, or nothing) and whether it is enabled.
 */
public record DeviceCredentials(String deviceId, Authentication authentication, boolean enabled) {

    public DeviceCredentials {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(authentication, "authentication");
    }

    /** A device with symmetric keys (either may be null). */
    public DeviceCredentials(String deviceId, String primaryKey, String secondaryKey, boolean enabled) {
        this(deviceId, new Authentication.SymmetricKey(primaryKey, secondaryKey), enabled);
    }

    /** The primary symmetric key, or null when the device does not authenticate with keys. */
    public String primaryKey() {
        return authentication instanceof Authentication.SymmetricKey keys ? keys.primaryKey() : null;
    }

    /** The secondary symmetric key, or null when the device does not authenticate with keys. */
    public String secondaryKey() {
        return authentication instanceof Authentication.SymmetricKey keys ? keys.secondaryKey() : null;
    }

    /** Whether the device proves itself with a client certificate (selfSigned or certificateAuthority). */
    public boolean authenticatesWithCertificate() {
        return authentication instanceof Authentication.SelfSigned
                || authentication instanceof Authentication.CertificateAuthority;
    }

    /** Keeps keys out of logs and exception messages. */
    @Override
    public String toString() {
        return "DeviceCredentials[deviceId=" + deviceId + ", type=" + authentication.type() + ", enabled=" + enabled + "]";
    }
}
