package lab.devicetwins.localhub.auth;

import java.util.Objects;

/**
 * What the hub needs to authenticate one device: its symmetric keys (either may be null for a device without
 * SAS authentication) and whether it is enabled.
 */
public record DeviceCredentials(String deviceId, String primaryKey, String secondaryKey, boolean enabled) {

    public DeviceCredentials {
        Objects.requireNonNull(deviceId, "deviceId");
    }

    /** Keeps keys out of logs and exception messages. */
    @Override
    public String toString() {
        return "DeviceCredentials[deviceId=" + deviceId + ", enabled=" + enabled + "]";
    }
}
