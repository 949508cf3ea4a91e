package lab.devicetwins.localhub.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How an identity proves who it is, with IoT Hub's four authentication types: symmetric keys (SAS tokens), a
 * self-signed X.509 certificate named by its thumbprints, an X.509 certificate signed by a certificate authority the
 * hub trusts, or none. In a request, keys left null are made by the hub (or kept, on an update of a device that
 * already has keys).
 */
public sealed interface Authentication {

    /** The type as IoT Hub spells it on the wire ({@code authentication.type}, the twin's {@code authenticationType}). */
    String type();

    /** Symmetric keys, base64; both null in a request that leaves them to the hub. */
    record SymmetricKey(String primaryKey, String secondaryKey) implements Authentication {
        public static final String TYPE = "sas";

        @Override
        public String type() {
            return TYPE;
        }

        /** Keeps keys out of logs and exception messages. */
        @Override
        public String toString() {
            return "SymmetricKey[keys hidden]";
        }
    }

    /**
     * A self-signed certificate, named by the hex SHA-1 (40 digits) or SHA-256 (64 digits) of its DER encoding; the
     * secondary may be null. Kept exactly as sent: IoT Hub echoes thumbprints verbatim.
     */
    record SelfSigned(String primaryThumbprint, String secondaryThumbprint) implements Authentication {
        public static final String TYPE = "selfSigned";
        private static final Pattern THUMBPRINT = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");

        public SelfSigned {
            if (primaryThumbprint == null) {
                throw new IllegalArgumentException("a selfSigned identity needs a primaryThumbprint");
            }
            requireThumbprint(primaryThumbprint, "primaryThumbprint");
            if (secondaryThumbprint != null) {
                requireThumbprint(secondaryThumbprint, "secondaryThumbprint");
            }
        }

        private static void requireThumbprint(String thumbprint, String name) {
            if (!THUMBPRINT.matcher(thumbprint).matches()) {
                throw new IllegalArgumentException(name + " must be the hex SHA-1 (40 digits) or SHA-256 (64 digits)"
                        + " of the certificate");
            }
        }

        /** True when {@code thumbprint} (hex, any case) names the primary or the secondary certificate. */
        public boolean names(String thumbprint) {
            return primaryThumbprint.equalsIgnoreCase(thumbprint)
                    || secondaryThumbprint != null && secondaryThumbprint.equalsIgnoreCase(thumbprint);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** A certificate signed by a certificate authority registered with the hub, whose subject CN is the identity's id. */
    record CertificateAuthority() implements Authentication {
        public static final String TYPE = "certificateAuthority";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** No credentials: the identity cannot connect. */
    record None() implements Authentication {
        public static final String TYPE = "none";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Keys the hub makes. */
    static Authentication keysFromHub() {
        return new SymmetricKey(null, null);
    }

    /**
     * Whether a type name is one of IoT Hub's, matched as the service accepts it (the SDKs send {@code sas},
     * {@code selfSigned}, {@code certificateAuthority}; case is not significant).
     *
     * @return the canonical spelling
     * @throws IllegalArgumentException naming the accepted types
     */
    static String canonicalType(String type) {
        for (String known : new String[] {SymmetricKey.TYPE, SelfSigned.TYPE, CertificateAuthority.TYPE, None.TYPE}) {
            if (known.toLowerCase(Locale.ROOT).equals(type.toLowerCase(Locale.ROOT))) {
                return known;
            }
        }
        throw new IllegalArgumentException("authentication type '" + type + "' is not one of sas, selfSigned,"
                + " certificateAuthority, none");
    }
}
