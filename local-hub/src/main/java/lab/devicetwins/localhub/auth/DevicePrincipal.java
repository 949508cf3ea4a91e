package lab.devicetwins.localhub.auth;

import java.time.Instant;

/**
 * A device whose MQTT password checked out. {@code tokenExpiry} lets the connection end when the token does, as on
 * IoT Hub (the SDKs renew their token before that).
 */
public record DevicePrincipal(String deviceId, Instant tokenExpiry) {
}
