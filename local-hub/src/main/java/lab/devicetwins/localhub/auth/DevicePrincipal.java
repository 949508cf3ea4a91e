package lab.devicetwins.localhub.auth;

import java.time.Instant;

/**
 * A device whose CONNECT checked out. {@code tokenExpiry} lets the connection end when its proof does, as on IoT Hub:
 * the SAS token's {@code se} (the SDKs renew their token before that), or for a certificate the earliest
 * {@code notAfter} on its checked chain.
 */
public record DevicePrincipal(String deviceId, Instant tokenExpiry, Proof proof) {

    /** What the device proved itself with; names it in the log line when the connection ends at its expiry. */
    public enum Proof {
        SAS_TOKEN("SAS token"),
        X509_CERTIFICATE("X.509 certificate");

        private final String description;

        Proof(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** A device that proved itself with a SAS token. */
    public DevicePrincipal(String deviceId, Instant tokenExpiry) {
        this(deviceId, tokenExpiry, Proof.SAS_TOKEN);
    }
}
