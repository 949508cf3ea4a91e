package lab.devicetwins.localhub.auth;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import lab.devicetwins.localhub.auth.DeviceAuthenticationException.Reason;
import lab.devicetwins.localhub.registry.Authentication;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Whether the certificate chain a client presented in its TLS handshake proves an identity, by the identity's
 * registered {@link Authentication} (contract §12.4). The TLS layer accepted any chain; this is the check.
 *
 * <ul>
 *   <li>{@code selfSigned}: the hex SHA-1 or SHA-256 of the leaf's DER equals the primary or the secondary thumbprint,
 *       in any case, and the leaf is within its validity dates. Neither its subject nor its issuer is looked at: the
 *       SDK's own e2e certificate has no CN.</li>
 *   <li>{@code certificateAuthority}: a PKIX path leads from the leaf (through whatever intermediates the client
 *       sent) to one of the CAs the hub trusts, every certificate on it within its dates, and the leaf's subject CN
 *       is the identity's id ({@code {deviceId}}, or {@code {deviceId}/{moduleId}} for a module).</li>
 *   <li>{@code sas} and {@code none}: a certificate proves nothing.</li>
 * </ul>
 * Revocation is not checked (IoT Hub does not check it either). No I/O; the caller passes the time.
 */
public final class ClientCertificateCheck {
    private static final HexFormat HEX = HexFormat.of();

    private final Set<TrustAnchor> trustedCas;

    /** @param trustedCas the CAs whose certificates prove {@code certificateAuthority} identities; may be empty */
    public ClientCertificateCheck(Collection<X509Certificate> trustedCas) {
        this.trustedCas = trustedCas.stream().map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @param identityId     the device id, or {@code {deviceId}/{moduleId}}
     * @param authentication the identity's registered authentication
     * @param peerChain      the client's chain as TLS delivered it, leaf first; empty when it sent none
     * @return when the proof ends: the earliest expiry on the checked chain
     * @throws DeviceAuthenticationException saying which check failed
     */
    public Instant check(String identityId, Authentication authentication, List<X509Certificate> peerChain,
                         Instant now) {
        Objects.requireNonNull(identityId, "identityId");
        String who = "Identity '" + identityId + "'";
        if (authentication instanceof Authentication.SymmetricKey || authentication instanceof Authentication.None) {
            throw new DeviceAuthenticationException(Reason.NOT_AUTHORIZED, who + " has authentication type "
                    + authentication.type() + ": a client certificate does not authenticate it.");
        }
        if (peerChain.isEmpty()) {
            throw new DeviceAuthenticationException(Reason.NO_CERTIFICATE, who + " authenticates with an X.509 "
                    + "certificate (" + authentication.type() + "), but the client sent none in the TLS handshake; "
                    + "give the device SDK an SSLContext with the certificate and its key (ClientOptions.sslContext).");
        }
        X509Certificate leaf = peerChain.get(0);
        requireValidAt(who, leaf, now);
        if (authentication instanceof Authentication.SelfSigned selfSigned) {
            return checkThumbprint(who, selfSigned, leaf);
        }
        return checkCaSigned(identityId, who, leaf, peerChain, now);
    }

    private static Instant checkThumbprint(String who, Authentication.SelfSigned registered, X509Certificate leaf) {
        byte[] der = der(leaf);
        String sha1 = HEX.formatHex(digest("SHA-1", der));
        String sha256 = HEX.formatHex(digest("SHA-256", der));
        if (!registered.names(sha1) && !registered.names(sha256)) {
            throw new DeviceAuthenticationException(Reason.BAD_CREDENTIALS, who + ": the client certificate's "
                    + "thumbprint (SHA-1 " + sha1 + ", SHA-256 " + sha256 + ") is neither the primary nor the "
                    + "secondary thumbprint registered for it.");
        }
        return leaf.getNotAfter().toInstant();
    }

    private Instant checkCaSigned(String identityId, String who, X509Certificate leaf, List<X509Certificate> chain,
                                  Instant now) {
        List<String> commonNames = commonNames(leaf);
        if (!commonNames.equals(List.of(identityId))) {
            throw new DeviceAuthenticationException(Reason.BAD_CREDENTIALS, who + " is CA-signed, so its certificate's"
                    + " subject CN must be '" + identityId + "'; the client certificate has "
                    + (commonNames.isEmpty() ? "no CN" : "CN " + String.join(", ", commonNames)) + ".");
        }
        if (trustedCas.isEmpty()) {
            throw new DeviceAuthenticationException(Reason.BAD_CREDENTIALS, who + " is CA-signed, but the hub trusts "
                    + "no CA for device certificates.");
        }
        PKIXCertPathBuilderResult path;
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(trustedCas, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
            path = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
        } catch (CertPathBuilderException e) {
            throw new DeviceAuthenticationException(Reason.BAD_CREDENTIALS, who + ": the client certificate (issuer "
                    + leaf.getIssuerX500Principal().getName() + ") does not lead to a CA this hub trusts for devices"
                    + " (or a certificate on the way is outside its validity dates): " + e.getMessage());
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime builds PKIX certificate paths", e);
        }
        return Stream.concat(path.getCertPath().getCertificates().stream().map(X509Certificate.class::cast),
                        Stream.of(path.getTrustAnchor().getTrustedCert()))
                .map(c -> c.getNotAfter().toInstant())
                .min(Instant::compareTo)
                .orElseThrow();
    }

    private static void requireValidAt(String who, X509Certificate leaf, Instant now) {
        try {
            leaf.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new DeviceAuthenticationException(Reason.CERTIFICATE_EXPIRED, who + ": the client certificate "
                    + "expired at " + leaf.getNotAfter().toInstant() + "; the hub's time is " + now + ".");
        } catch (CertificateNotYetValidException e) {
            throw new DeviceAuthenticationException(Reason.CERTIFICATE_EXPIRED, who + ": the client certificate is "
                    + "valid only from " + leaf.getNotBefore().toInstant() + "; the hub's time is " + now + ".");
        }
    }

    /** The values of every CN in the subject, as text (no RFC 4514 escaping: it is compared with an id). */
    private static List<String> commonNames(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        return Stream.of(subject.getRDNs(BCStyle.CN))
                .flatMap(rdn -> Stream.of(rdn.getTypesAndValues()))
                .filter(value -> BCStyle.CN.equals(value.getType()))
                .map(value -> value.getValue() instanceof ASN1String text ? text.getString() : value.getValue().toString())
                .toList();
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            // TLS has just parsed it, so it re-encodes
            throw new IllegalStateException("a certificate from the TLS handshake cannot be encoded", e);
        }
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }
}
