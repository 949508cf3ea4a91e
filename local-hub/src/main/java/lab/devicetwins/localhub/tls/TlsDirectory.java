package lab.devicetwins.localhub.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The {@code tls} directory inside the hub's data directory and the four files in it. Reads fail with a
 * {@link DevelopmentCertificateException} naming the file; writes replace files atomically so an interrupted hub
 * never leaves half a key behind.
 */
final class TlsDirectory {

    static final String ALIAS_SERVER = "localhub";
    static final String ALIAS_CA = "device-twins-lab-ca";
    private static final String RECOVERY = "; delete the tls directory to regenerate (then trust the new tls/ca.pem)";
    private static final String PUBLIC = "rw-r--r--";
    private static final String SECRET = "rw-------";

    private final Path directory;
    final Path caPem;
    final Path caKeyPem;
    final Path serverKeyStore;
    final Path trustStore;

    TlsDirectory(Path dataDir) {
        this.directory = dataDir.resolve("tls");
        this.caPem = directory.resolve("ca.pem");
        this.caKeyPem = directory.resolve("ca-key.pem");
        this.serverKeyStore = directory.resolve("server.p12");
        this.trustStore = directory.resolve("truststore.p12");
    }

    /** The CA from {@code ca.pem} and {@code ca-key.pem}, or empty when neither exists yet. */
    Optional<CertificateAuthority> readCertificateAuthority() {
        boolean haveCertificate = Files.exists(caPem);
        boolean haveKey = Files.exists(caKeyPem);
        if (!haveCertificate && !haveKey) {
            return Optional.empty();
        }
        if (!haveCertificate || !haveKey) {
            Path missing = haveCertificate ? caKeyPem : caPem;
            throw corrupt(missing, "is missing while " + (haveCertificate ? caPem : caKeyPem).getFileName()
                    + " exists", null);
        }
        X509Certificate certificate = readCertificate(caPem);
        CertificateAuthority ca = new CertificateAuthority(readPrivateKey(caKeyPem), certificate);
        if (!ca.isCertificateAuthority()) {
            throw corrupt(caPem, "is not a CA certificate", null);
        }
        if (!ca.keyMatchesCertificate()) {
            throw corrupt(caKeyPem, "does not hold the key of the certificate in " + caPem.getFileName(), null);
        }
        return Optional.of(ca);
    }

    void writeCertificateAuthority(CertificateAuthority ca) {
        write(caKeyPem, pem("PRIVATE KEY", ca.key().getEncoded()), SECRET);
        write(caPem, pem("CERTIFICATE", encoded(ca.certificate())), PUBLIC);
    }

    /** The key entry of {@code server.p12}, or empty when the file does not exist yet. */
    Optional<ServerCredential> readServerCredential(char[] password) {
        if (!Files.exists(serverKeyStore)) {
            return Optional.empty();
        }
        KeyStore store = readKeyStore(serverKeyStore, password);
        try {
            if (store.getKey(ALIAS_SERVER, password) instanceof PrivateKey key
                    && store.getCertificate(ALIAS_SERVER) instanceof X509Certificate certificate) {
                return Optional.of(new ServerCredential(key, certificate));
            }
        } catch (GeneralSecurityException e) {
            throw corrupt(serverKeyStore, "has an unreadable key entry '" + ALIAS_SERVER + "'", e);
        }
        throw corrupt(serverKeyStore, "has no key entry named '" + ALIAS_SERVER + "'", null);
    }

    /** The trusted certificate in {@code truststore.p12}, or empty when the file does not exist yet. */
    Optional<Certificate> readTrustedCertificate(char[] password) {
        if (!Files.exists(trustStore)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(readKeyStore(trustStore, password).getCertificate(ALIAS_CA));
        } catch (GeneralSecurityException e) {
            throw corrupt(trustStore, "cannot be read", e);
        }
    }

    void writeServerKeyStore(KeyStore store, char[] password) {
        write(serverKeyStore, stored(store, password), SECRET);
    }

    void writeTrustStore(KeyStore store, char[] password) {
        write(trustStore, stored(store, password), PUBLIC);
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    static byte[] encoded(Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a certificate this hub made cannot be encoded", e);
        }
    }

    private static X509Certificate readCertificate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificate(in) instanceof X509Certificate certificate) {
                return certificate;
            }
            throw corrupt(file, "does not hold an X.509 certificate", null);
        } catch (IOException | GeneralSecurityException e) {
            throw corrupt(file, "is not a readable PEM certificate", e);
        }
    }

    private static PrivateKey readPrivateKey(Path file) {
        Optional<PrivateKey> key;
        try {
            key = privateKeyFromPem(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            throw corrupt(file, "is not a readable PEM private key", e);
        }
        return key.orElseThrow(() -> corrupt(file, "does not hold an unencrypted PEM private key", null));
    }

    /**
     * The first object of PEM text as an unencrypted private key (PKCS#8 or the traditional EC/RSA form), or empty when
     * it is something else.
     *
     * @throws IOException when the text is not PEM or the key cannot be used by this JVM
     */
    static Optional<PrivateKey> privateKeyFromPem(String text) throws IOException {
        Object pem;
        try (Reader reader = new StringReader(text); PEMParser parser = new PEMParser(reader)) {
            pem = parser.readObject();
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (pem instanceof PrivateKeyInfo info) {
            return Optional.of(converter.getPrivateKey(info));
        }
        if (pem instanceof PEMKeyPair pair) {
            return Optional.of(converter.getKeyPair(pair).getPrivate());
        }
        return Optional.empty();
    }

    private static KeyStore readKeyStore(Path file, char[] password) {
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(file))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw corrupt(file, "is not a PKCS#12 key store with the password \"localhub\"", e);
        }
    }

    private static byte[] stored(KeyStore store, char[] password) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("a key store this hub made cannot be saved", e);
        }
    }

    private void write(Path file, String text, String permissions) {
        write(file, text.getBytes(StandardCharsets.US_ASCII), permissions);
    }

    private void write(Path file, byte[] content, String permissions) {
        try {
            Files.createDirectories(directory);
            // createTempFile makes the file owner-only on POSIX systems, so a key is never readable by others
            Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
            try {
                Files.write(temporary, content);
                if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(permissions));
                }
                move(temporary, file);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new DevelopmentCertificateException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static DevelopmentCertificateException corrupt(Path file, String problem, Throwable cause) {
        return new DevelopmentCertificateException(file + " " + problem + RECOVERY + ".", cause);
    }
}
