package lab.devicetwins.localhub.core;

import java.security.SecureRandom;
import java.util.Base64;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.registry.Authentication;

/** The authentication an identity gets from a request: keys checked or made, thumbprints taken as sent. */
final class Credentials {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {
    }

    /**
     * {@code requested} with its keys checked; keys left null are the current ones when the identity already has
     * keys ({@code current}, null on a create), else new random ones. No {@code requested} keeps {@code current}
     * (new keys on a create).
     */
    static Authentication resolve(Authentication requested, Authentication current) {
        if (requested == null) {
            return current != null ? current : resolve(Authentication.keysFromHub(), null);
        }
        if (!(requested instanceof Authentication.SymmetricKey keys)) {
            return requested;
        }
        Authentication.SymmetricKey kept = current instanceof Authentication.SymmetricKey k ? k : null;
        String primary = keys.primaryKey() != null ? validKey(keys.primaryKey(), "primaryKey")
                : kept != null ? kept.primaryKey() : newKey();
        String secondary = keys.secondaryKey() != null ? validKey(keys.secondaryKey(), "secondaryKey")
                : kept != null ? kept.secondaryKey() : newKey();
        return new Authentication.SymmetricKey(primary, secondary);
    }

    private static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String validKey(String key, String name) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, name + " is not valid Base64");
        }
        if (decoded.length < 16 || decoded.length > 64) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID,
                    name + " must be between 16 and 64 bytes once Base64-decoded, not " + decoded.length);
        }
        return key;
    }
}
