package lab.devicetwins.localhub.auth;

/**
 * A device's MQTT CONNECT was refused. The message is for the hub's log (MQTT 3.1.1 has no place for it on the
 * wire); the {@link Reason} decides the CONNACK return code.
 */
public final class DeviceAuthenticationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Why a device was refused. Every reason answers CONNACK 5 (not authorized): IoT Hub answers a bad or expired
     * SAS token with 5, the Java SDK reports 4 and 5 alike as an authentication error, and 3 (server unavailable)
     * would make {@code open(true)} retry a disabled device forever.
     */
    public enum Reason {
        /** The password is missing or is not a SAS token. */
        MALFORMED_TOKEN,
        /** No registered device with that id, or the token names a policy the hub does not have. */
        UNKNOWN_IDENTITY,
        /**
         * The signature matches none of the keys it should have been signed with, or the client certificate is not the
         * registered one (thumbprint, CA, CN).
         */
        BAD_CREDENTIALS,
        /** The token's {@code se} is not in the future. */
        TOKEN_EXPIRED,
        /** A valid token that does not allow this connection: wrong host, another device, or no DeviceConnect. */
        NOT_AUTHORIZED,
        /** An X.509 identity whose client sent no certificate in the TLS handshake. */
        NO_CERTIFICATE,
        /** The client certificate is outside its validity dates. */
        CERTIFICATE_EXPIRED,
        /** The credentials are right but the device is disabled in the registry. */
        DEVICE_DISABLED;

        /** The MQTT 3.1.1 CONNACK return code for this refusal. */
        public int connackReturnCode() {
            return 5;
        }
    }

    private final Reason reason;

    public DeviceAuthenticationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
