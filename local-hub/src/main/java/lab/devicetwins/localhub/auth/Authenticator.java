package lab.devicetwins.localhub.auth;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import lab.devicetwins.localhub.auth.DeviceAuthenticationException.Reason;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.registry.IdentityKey;

/**
 * Decides whether a SAS token lets a caller in: service requests over HTTPS (token in the {@code Authorization}
 * header, signed with a shared access policy key) and device connections over MQTT (token as the CONNECT password,
 * signed with the device's key or with a policy key that grants DeviceConnect).
 *
 * <p>A token is valid when {@code se} plus the expiry tolerance (none by default; realistic mode's tier profiles allow
 * for clock skew as IoT Hub does) is after the clock's now, its {@code sr} is a
 * {@link ResourceScope} under one of the hub's host names that covers the resource asked for, and its signature
 * matches the primary or the secondary key. Messages say which check failed and never contain a key or a signature.
 *
 * <p>Devices registered with an X.509 certificate (selfSigned, certificateAuthority) prove themselves with the client
 * certificate of their TLS connection instead, checked by a {@link ClientCertificateCheck}.
 */
public final class Authenticator {

    private final List<String> hostNames;
    private final CredentialSource credentials;
    private final Clock clock;
    private final ClientCertificateCheck certificates;
    private final long expiryToleranceSeconds;

    /** As {@link #Authenticator(Set, CredentialSource, Clock, ClientCertificateCheck)}, trusting no CA for devices. */
    public Authenticator(Set<String> hubHostNames, CredentialSource credentials, Clock clock) {
        this(hubHostNames, credentials, clock, new ClientCertificateCheck(List.of()));
    }

    /**
     * @param hubHostNames every name the hub answers to ({@code 127.0.0.1}, {@code myhub.azure-devices.net}, …);
     *                     compared case-insensitively with the host in a token's {@code sr}
     * @param certificates decides the client certificates of X.509 devices
     */
    public Authenticator(Set<String> hubHostNames, CredentialSource credentials, Clock clock,
                         ClientCertificateCheck certificates) {
        this(hubHostNames, credentials, clock, certificates, Duration.ZERO);
    }

    /**
     * @param expiryTolerance how long after its {@code se} a SAS token is still accepted (clock skew); not negative
     */
    public Authenticator(Set<String> hubHostNames, CredentialSource credentials, Clock clock,
                         ClientCertificateCheck certificates, Duration expiryTolerance) {
        Objects.requireNonNull(hubHostNames, "hubHostNames");
        if (expiryTolerance.isNegative()) {
            throw new IllegalArgumentException("the expiry tolerance is not negative");
        }
        this.expiryToleranceSeconds = expiryTolerance.toSeconds();
        if (hubHostNames.isEmpty()) {
            throw new IllegalArgumentException("the hub needs at least one host name");
        }
        this.hostNames = hubHostNames.stream().map(h -> h.toLowerCase(Locale.ROOT)).sorted().toList();
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
    }

    /**
     * Checks the {@code Authorization} header of a service request.
     *
     * @param needed   the right the operation requires
     * @param resource the path segments of the resource the operation acts on, after the host (e.g.
     *                 {@code ["devices", "dev1"]}); the token's {@code sr} must be a segment prefix of it
     * @throws HubException {@link HubErrorCode#IOT_HUB_UNAUTHORIZED_ACCESS} when the header is missing or malformed,
     *                      names an unknown policy, another host or another resource, is not signed with the
     *                      policy's keys, has expired, or the policy lacks {@code needed}
     */
    public ServicePrincipal authorizeService(String authorizationHeader, AccessRight needed, List<String> resource) {
        Objects.requireNonNull(needed, "needed");
        Objects.requireNonNull(resource, "resource");
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw unauthorized("The request has no Authorization header; service requests need a SAS token signed "
                    + "with a shared access policy key (SharedAccessSignature sr=…&sig=…&se=…&skn=…).");
        }
        SasToken token = SasToken.parse(authorizationHeader);
        String policyName = token.keyName().orElseThrow(() -> unauthorized("The SAS token has no skn: service "
                + "requests must be signed with a shared access policy key (SharedAccessKeyName in the connection "
                + "string), not a device key."));
        SharedAccessPolicy policy = credentials.policy(policyName).orElseThrow(() -> unauthorized(
                "The hub has no shared access policy named '" + policyName + "' (skn)."));
        ResourceScope scope = scopeOf(token).orElseThrow(() -> unauthorized(outsideHubMessage(token)));
        if (!signedWithEither(token, policy.primaryKey(), policy.secondaryKey())) {
            throw unauthorized("The SAS token's signature matches neither key of policy '" + policyName
                    + "'; check SharedAccessKey in the connection string.");
        }
        if (isExpired(token)) {
            throw unauthorized(expiredMessage(token));
        }
        if (!policy.grants(needed)) {
            throw unauthorized("Policy '" + policyName + "' does not grant " + needed.wireName()
                    + ", which this operation needs; it grants: " + grantedList(policy) + ".");
        }
        if (!scope.covers(resource)) {
            throw unauthorized("The SAS token is scoped to '" + scope + "' (sr), which does not cover '"
                    + scope.host() + "/" + String.join("/", resource) + "', the resource of this request.");
        }
        return new ServicePrincipal(policy.name(), policy.rights(), token.expiry());
    }

    /**
     * Checks the password of a device's or a module's MQTT CONNECT. A module's token ({@code sr} covering
     * {@code <host>/devices/<d>/modules/<m>}) may be signed with the module's keys or with its device's, as IoT Hub
     * accepts (the SDKs' own end-to-end tests connect modules with the device's key).
     *
     * @param deviceId the MQTT client id: the device id, or {@code {deviceId}/{moduleId}} for a module (case-sensitive)
     * @throws DeviceAuthenticationException with the reason that decides the CONNACK code
     */
    public DevicePrincipal authenticateDevice(String deviceId, String password) {
        Objects.requireNonNull(deviceId, "deviceId");
        SasToken token;
        try {
            token = SasToken.parse(password);
        } catch (HubException e) {
            throw new DeviceAuthenticationException(Reason.MALFORMED_TOKEN,
                    "Device '" + deviceId + "': the MQTT password is not a usable SAS token. " + e.getMessage());
        }
        DeviceCredentials device = credentials.device(deviceId).orElseThrow(() -> new DeviceAuthenticationException(
                Reason.UNKNOWN_IDENTITY, "Device '" + deviceId + "' is not registered on this hub."));
        Optional<String> policyName = token.keyName();
        if (policyName.isPresent()) {
            checkPolicyToken(deviceId, token, policyName.get());
        } else {
            checkDeviceKeyToken(device, token);
        }
        if (isExpired(token)) {
            throw new DeviceAuthenticationException(Reason.TOKEN_EXPIRED, "Device '" + deviceId + "': " + expiredMessage(token));
        }
        if (!device.enabled()) {
            throw new DeviceAuthenticationException(Reason.DEVICE_DISABLED,
                    "Device '" + deviceId + "' is disabled; enable it in the registry to connect.");
        }
        return new DevicePrincipal(deviceId, token.expiry());
    }

    /** Whether {@code deviceId} is registered to prove itself with a client certificate rather than a SAS token. */
    public boolean authenticatesWithCertificate(String deviceId) {
        return credentials.device(deviceId).map(DeviceCredentials::authenticatesWithCertificate).orElse(false);
    }

    /**
     * Checks the client certificate chain of a device's TLS connection ({@link ClientCertificateCheck}); any MQTT
     * password is not looked at.
     *
     * @param peerChain the chain TLS delivered, leaf first; empty when the client sent no certificate
     * @throws DeviceAuthenticationException with the reason that decides the CONNACK code
     */
    public DevicePrincipal authenticateDeviceCertificate(String deviceId, List<X509Certificate> peerChain) {
        Objects.requireNonNull(deviceId, "deviceId");
        DeviceCredentials device = credentials.device(deviceId).orElseThrow(() -> new DeviceAuthenticationException(
                Reason.UNKNOWN_IDENTITY, "Device '" + deviceId + "' is not registered on this hub."));
        Instant until = certificates.check(deviceId, device.authentication(), peerChain, clock.instant());
        if (!device.enabled()) {
            throw new DeviceAuthenticationException(Reason.DEVICE_DISABLED,
                    "Device '" + deviceId + "' is disabled; enable it in the registry to connect.");
        }
        return new DevicePrincipal(deviceId, until, DevicePrincipal.Proof.X509_CERTIFICATE);
    }

    private void checkDeviceKeyToken(DeviceCredentials device, SasToken token) {
        String deviceId = device.deviceId();
        requireIdentityInScope(deviceId, token, "a token signed with a device key");
        // a module may also sign with its device's keys
        Optional<DeviceCredentials> parent = IdentityKey.isModule(deviceId)
                ? credentials.device(IdentityKey.deviceId(deviceId)) : Optional.empty();
        boolean hasKeys = !isBlank(device.primaryKey()) || !isBlank(device.secondaryKey())
                || parent.filter(p -> !isBlank(p.primaryKey()) || !isBlank(p.secondaryKey())).isPresent();
        if (!hasKeys) {
            throw new DeviceAuthenticationException(Reason.BAD_CREDENTIALS,
                    "Device '" + deviceId + "' has no symmetric keys, so it cannot connect with a SAS token.");
        }
        if (!signedWithEither(token, device.primaryKey(), device.secondaryKey())
                && parent.filter(p -> signedWithEither(token, p.primaryKey(), p.secondaryKey())).isEmpty()) {
            throw new DeviceAuthenticationException(Reason.BAD_CREDENTIALS, "Device '" + deviceId + "': the SAS "
                    + "token's signature matches neither of the " + (parent.isPresent()
                    ? "module's keys nor its device's" : "device's keys") + "; check SharedAccessKey in the "
                    + "connection string.");
        }
    }

    private void checkPolicyToken(String deviceId, SasToken token, String policyName) {
        SharedAccessPolicy policy = credentials.policy(policyName).orElseThrow(() -> new DeviceAuthenticationException(
                Reason.UNKNOWN_IDENTITY, "Device '" + deviceId + "': the hub has no shared access policy named '"
                        + policyName + "' (skn)."));
        requireIdentityInScope(deviceId, token, "a policy token used by a device");
        if (!signedWithEither(token, policy.primaryKey(), policy.secondaryKey())) {
            throw new DeviceAuthenticationException(Reason.BAD_CREDENTIALS, "Device '" + deviceId + "': the SAS "
                    + "token's signature matches neither key of policy '" + policyName + "'.");
        }
        if (!policy.grants(AccessRight.DEVICE_CONNECT)) {
            throw new DeviceAuthenticationException(Reason.NOT_AUTHORIZED, "Device '" + deviceId + "': policy '"
                    + policyName + "' does not grant DeviceConnect; it grants: " + grantedList(policy) + ".");
        }
    }

    /**
     * A device token must cover the identity it connects as: {@code <host>}, {@code <host>/devices} or
     * {@code <host>/devices/<id>}; a module's, {@code <host>/devices/<d>/modules/<m>} (or a prefix of it).
     */
    private void requireIdentityInScope(String deviceId, SasToken token, String what) {
        List<String> resource = resourceOf(deviceId);
        boolean covered = scopeOf(token).map(scope -> scope.covers(resource)).orElse(false);
        if (!covered) {
            throw new DeviceAuthenticationException(Reason.NOT_AUTHORIZED, "Device '" + deviceId + "': the SAS token "
                    + "is for '" + token.resourceForScope() + "' (sr), but " + what + " must cover <host>/"
                    + String.join("/", resource) + " with <host> one of " + String.join(", ", hostNames) + ".");
        }
    }

    /** {@code devices/<id>}, or {@code devices/<d>/modules/<m>} for a module's client id. */
    private static List<String> resourceOf(String clientId) {
        return IdentityKey.isModule(clientId)
                ? List.of("devices", IdentityKey.deviceId(clientId), "modules", IdentityKey.moduleId(clientId))
                : List.of("devices", clientId);
    }

    private Optional<ResourceScope> scopeOf(SasToken token) {
        return ResourceScope.of(token.resourceForScope(), hostNames);
    }

    private String outsideHubMessage(SasToken token) {
        return "The SAS token is for '" + token.resourceForScope() + "' (sr), which is not a resource of this hub: it "
                + "must start with one of " + String.join(", ", hostNames) + " and hold no '.', '..' or empty segment.";
    }

    private static boolean signedWithEither(SasToken token, String primaryKey, String secondaryKey) {
        return Stream.of(primaryKey, secondaryKey).anyMatch(token::isSignedWith);
    }

    private boolean isExpired(SasToken token) {
        return token.expirySeconds() + expiryToleranceSeconds <= clock.instant().getEpochSecond();
    }

    private String expiredMessage(SasToken token) {
        Instant now = clock.instant();
        return "The SAS token expired at " + token.expiry() + " (se=" + token.expirySeconds() + "); the hub's time is "
                + now + (expiryToleranceSeconds == 0 ? "" : " and it allows " + expiryToleranceSeconds
                + " s of clock skew") + ". Create a new token (and check the device clock).";
    }

    private static String grantedList(SharedAccessPolicy policy) {
        return policy.rights().isEmpty() ? "nothing" : AccessRight.formatList(policy.rights());
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static HubException unauthorized(String message) {
        return new HubException(HubErrorCode.IOT_HUB_UNAUTHORIZED_ACCESS, message);
    }
}
