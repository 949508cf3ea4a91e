package lab.devicetwins.localhub.sdk;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for tests, EC P-256 for speed (the SDK's e2e tests use RSA-4096 or P-256): self-signed ones like the
 * SDK e2e's ({@code C=US, O=Microsoft, L=Redmond, OU=Azure}, no CN, contract §12.2), test CAs and what they sign.
 * BouncyCastle is already the hub's dependency for its development CA.
 */
public final class TestCertificates {
    /** The subject (and issuer) of the SDK e2e tests' self-signed certificate: no CN. */
    public static final String E2E_SUBJECT = "C=US, O=Microsoft, L=Redmond, OU=Azure";
    private static final AtomicLong SERIAL = new AtomicLong(1);

    /** A key and its certificate. */
    public record Issued(PrivateKey key, X509Certificate certificate) {
    }

    private TestCertificates() {
    }

    /** Self-signed like the SDK e2e certificate: valid from a day ago for two hours. */
    public static Issued selfSigned() {
        Instant now = Instant.now();
        return selfSigned(E2E_SUBJECT, now.minus(Duration.ofHours(24)), now.plus(Duration.ofHours(2)));
    }

    public static Issued selfSigned(String subject, Instant notBefore, Instant notAfter) {
        KeyPair keys = ecKeys();
        return new Issued(keys.getPrivate(), sign(new JcaX509v3CertificateBuilder(new X500Name(subject), serial(),
                Date.from(notBefore), Date.from(notAfter), new X500Name(subject), keys.getPublic()), keys.getPrivate()));
    }

    /** A CA certificate (self-signed, may sign certificates) named {@code CN=commonName}. */
    public static Issued certificateAuthority(String commonName) {
        KeyPair keys = ecKeys();
        X500Name name = new X500Name("CN=" + commonName + ", O=Device Twins Lab tests");
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name,
                    keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
            return new Issued(keys.getPrivate(), sign(builder, keys.getPrivate()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An intermediate CA named {@code CN=commonName}, signed by {@code ca}. */
    public static Issued signedByAsCa(Issued ca, String commonName) {
        KeyPair keys = ecKeys();
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                    new X500Name("CN=" + commonName), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
            return new Issued(keys.getPrivate(), sign(builder, ca.key()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A leaf certificate with this subject, signed by {@code ca}, valid for an hour (from an hour ago). */
    public static Issued signedBy(Issued ca, String subject) {
        Instant now = Instant.now();
        return signedBy(ca, subject, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)));
    }

    public static Issued signedBy(Issued ca, String subject, Instant notBefore, Instant notAfter) {
        KeyPair keys = ecKeys();
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        return new Issued(keys.getPrivate(), sign(new JcaX509v3CertificateBuilder(issuer, serial(),
                Date.from(notBefore), Date.from(notAfter), new X500Name(subject), keys.getPublic()), ca.key()));
    }

    /** The certificate as PEM text. */
    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lower-case hex SHA-1 of the DER, as the SDK e2e generator makes thumbprints. */
    public static String sha1(X509Certificate certificate) {
        return thumbprint("SHA-1", certificate);
    }

    public static String sha256(X509Certificate certificate) {
        return thumbprint("SHA-256", certificate);
    }

    private static String thumbprint(String algorithm, X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
        try {
            String algorithm = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.getAndIncrement());
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
