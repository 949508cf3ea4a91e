package lab.devicetwins.localhub.tls;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The local hub's development certificate authority: a self-signed RSA CA that learners trust once and that issues
 * the hub's server certificates. Keeping its key means new host names need a new server certificate only.
 */
record CertificateAuthority(PrivateKey key, X509Certificate certificate) {

    static final String COMMON_NAME = "Device Twins Lab Local Hub Development CA";
    static final String SERVER_COMMON_NAME = "Device Twins Lab Local Hub";
    private static final String ORGANIZATION = "Device Twins Lab";
    private static final int KEY_BITS = 2048;
    private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    /** Issue certificates slightly in the past so a client whose clock lags a little still accepts them. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new CA valid for ten years from {@code now}. */
    static CertificateAuthority create(Instant now) {
        KeyPair keys = newRsaKeyPair();
        X500Name subject = name(COMMON_NAME);
        Instant notAfter = now.atOffset(ZoneOffset.UTC).plusYears(10).toInstant();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serialNumber(),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(keys.getPrivate(), sign(builder, keys.getPrivate()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("could not create the development CA", e);
        }
    }

    /** A server certificate for {@code names}, valid for one year from {@code now}, signed by this CA. */
    ServerCredential issueServerCredential(Set<HostName> names, Instant now) {
        KeyPair keys = newRsaKeyPair();
        GeneralNames sans = new GeneralNames(names.stream().sorted(Comparator.comparing(HostName::canonical))
                .map(HostName::toGeneralName).toArray(GeneralName[]::new));
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serialNumber(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(Duration.ofDays(365))), name(SERVER_COMMON_NAME),
                    keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, sans)
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            return new ServerCredential(keys.getPrivate(), sign(builder, key));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("could not issue the hub's server certificate", e);
        }
    }

    /**
     * A client certificate for device (or module) {@code identityId}: EC P-256, subject CN = the id, valid for one year
     * from {@code now}, signed by this CA. EC keeps issuing fast; the chain is the certificate, then this CA.
     */
    DeviceCertificate issueDeviceCertificate(String identityId, Instant now) {
        KeyPair keys = newEcKeyPair();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, identityId)
                    .addRDN(BCStyle.O, ORGANIZATION)
                    .build();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serialNumber(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            return new DeviceCertificate(keys.getPrivate(), List.of(sign(builder, key), certificate));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("could not issue a device certificate for '" + identityId + "'", e);
        }
    }

    /** Whether this CA signed {@code issued}. */
    boolean signed(X509Certificate issued) {
        try {
            issued.verify(certificate.getPublicKey());
            return issued.getIssuerX500Principal().equals(certificate.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Whether {@code key} is the private half of this CA certificate's public key. */
    boolean keyMatchesCertificate() {
        try {
            byte[] probe = "device-twins-lab key check".getBytes(StandardCharsets.UTF_8);
            Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    boolean validFor(Duration margin, Instant now) {
        return validFor(certificate, margin, now);
    }

    /** Whether {@code certificate} is already valid at {@code now} and stays valid for at least {@code margin}. */
    static boolean validFor(X509Certificate certificate, Duration margin, Instant now) {
        return !certificate.getNotBefore().toInstant().isAfter(now)
                && !certificate.getNotAfter().toInstant().isBefore(now.plus(margin));
    }

    boolean isCertificateAuthority() {
        return certificate.getBasicConstraints() >= 0;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, commonName)
                .addRDN(BCStyle.O, ORGANIZATION)
                .build();
    }

    /** Positive, random and unique per certificate, as RFC 5280 and browsers expect. */
    private static BigInteger serialNumber() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static KeyPair newEcKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime can generate P-256 keys", e);
        }
    }

    private static KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime can generate RSA keys", e);
        }
    }
}
