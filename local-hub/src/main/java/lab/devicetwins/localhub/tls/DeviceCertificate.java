package lab.devicetwins.localhub.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A device's (or module's) X.509 client credential: its private key and its certificate chain, leaf first. The
 * development CA issues them ({@link DevelopmentCertificates#issueDeviceCertificate(String)}); any key and chain, a
 * self-signed certificate included, can be wrapped and handed to the device SDK through {@link #sslContext}.
 *
 * <pre>{@code
 * DeviceCertificate credential = hub.issueDeviceCertificate("thermostat-1");
 * DeviceClient client = new DeviceClient(hub.deviceConnectionString("thermostat-1"), IotHubClientProtocol.MQTT,
 *         ClientOptions.builder().sslContext(hub.deviceSslContext(credential)).build());
 * }</pre>
 */
public record DeviceCertificate(PrivateKey key, List<X509Certificate> chain) {
    private static final char[] IN_MEMORY_PASSWORD = "device".toCharArray();

    public DeviceCertificate {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a device certificate needs at least its own certificate");
        }
    }

    /** The device's own certificate, the first of the chain. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The chain as PEM, leaf first: what {@code {id}.cert.pem} holds. */
    public String certificatePem() {
        StringBuilder pem = new StringBuilder();
        chain.forEach(c -> pem.append(TlsDirectory.pem("CERTIFICATE", TlsDirectory.encoded(c))));
        return pem.toString();
    }

    /** The private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public String keyPem() {
        return TlsDirectory.pem("PRIVATE KEY", key.getEncoded());
    }

    /**
     * Writes {@code {fileBase}.cert.pem} and {@code {fileBase}.key.pem} (owner-only where the file system has POSIX
     * permissions) into {@code directory}, creating it.
     *
     * @return the certificate file, then the key file
     */
    public List<Path> writePemFiles(Path directory, String fileBase) throws IOException {
        Files.createDirectories(directory);
        Path certificateFile = directory.resolve(fileBase + ".cert.pem");
        Path keyFile = directory.resolve(fileBase + ".key.pem");
        Files.writeString(certificateFile, certificatePem(), StandardCharsets.US_ASCII);
        Files.deleteIfExists(keyFile);
        Files.createFile(keyFile);
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(keyFile, keyPem(), StandardCharsets.US_ASCII);
        return List.of(certificateFile, keyFile);
    }

    /**
     * Reads a credential from PEM files: the chain (one or more {@code BEGIN CERTIFICATE} blocks, leaf first) and an
     * unencrypted private key (PKCS#8, or the traditional EC/RSA form).
     *
     * @throws IOException              if a file cannot be read
     * @throws IllegalArgumentException naming the file that holds no certificate or no usable key
     */
    public static DeviceCertificate readPemFiles(Path certificatePem, Path keyPem) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(Files.readAllBytes(certificatePem)))) {
                chain.add((X509Certificate) c);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(certificatePem + " holds no readable PEM certificate", e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(certificatePem + " holds no PEM certificate");
        }
        return new DeviceCertificate(readKey(keyPem), chain);
    }

    private static PrivateKey readKey(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Optional<PrivateKey> key;
        try {
            key = TlsDirectory.privateKeyFromPem(text);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a readable PEM private key", e);
        }
        return key.orElseThrow(() -> new IllegalArgumentException(file + " does not hold an unencrypted PEM private key"));
    }

    /**
     * A {@code TLSv1.2} client context, as the device SDK builds its own, that presents this credential and trusts the
     * hub's CA ({@code serverTrust}) for the server; for {@code ClientOptions.builder().sslContext(…)}.
     */
    public SSLContext sslContext(DevelopmentCaTrust serverTrust) {
        try {
            KeyStore identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            identity.setKeyEntry("device", key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity, IN_MEMORY_PASSWORD);
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(serverTrust.trustStore());
            SSLContext context = SSLContext.getInstance("TLSv1.2");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS client context for this device certificate: "
                    + e.getMessage(), e);
        }
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "DeviceCertificate[" + certificate().getSubjectX500Principal().getName() + ", key hidden]";
    }
}
