package lab.devicetwins.localhub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The documented keys of seeded devices, the same on every machine (like the Azure emulators' well-known keys), so
 * the connection strings in the docs work as printed. They protect nothing: the hub listens on loopback by default.
 */
public final class WellKnownKeys {
    private WellKnownKeys() {
    }

    /** Base64(SHA-256("device-twins-lab:device:{deviceId}:primary|secondary")). */
    public static String deviceKey(String deviceId, boolean primary) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    ("device-twins-lab:device:" + deviceId + ":" + (primary ? "primary" : "secondary"))
                            .getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
