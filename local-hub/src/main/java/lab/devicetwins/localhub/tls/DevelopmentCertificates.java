package lab.devicetwins.localhub.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The hub's TLS identity for development: a local CA and a server certificate it issued for {@code 127.0.0.1},
 * {@code ::1}, {@code localhost} and the hub's own host names.
 *
 * <p>With a data directory the files live in {@code <dataDir>/tls/}:
 * <ul>
 *   <li>{@code ca.pem} – the CA certificate learners trust (or pass to the device SDK's {@code IotHubSSLContext});</li>
 *   <li>{@code ca-key.pem} – the CA's key (owner-only), kept so that a new host name re-issues only the server
 *       certificate and nobody has to trust a new CA;</li>
 *   <li>{@code server.p12} – PKCS#12 with the server key and its chain, password {@value #PASSWORD};</li>
 *   <li>{@code truststore.p12} – PKCS#12 with only the CA, password {@value #PASSWORD}, for
 *       {@code -Djavax.net.ssl.trustStore}.</li>
 * </ul>
 * Loading reuses the server certificate while it names every requested host and stays valid for 30 more days;
 * otherwise the same CA issues a new one, naming the requested hosts and those the old one named.
 */
public final class DevelopmentCertificates {

    /** The password of both PKCS#12 files. Not a secret: they only ever protect development keys. */
    public static final String PASSWORD = "localhub";
    /** How long a reused certificate must stay valid; re-issuing earlier avoids surprises during a course. */
    static final Duration RENEWAL_MARGIN = Duration.ofDays(30);

    private static CertificateAuthority inMemoryAuthority;
    private static final Map<Set<HostName>, DevelopmentCertificates> IN_MEMORY = new ConcurrentHashMap<>();

    private final CertificateAuthority authority;
    private final ServerCredential server;
    private final TlsDirectory files;
    private final KeyStore serverKeyStore;
    private final KeyStore trustStore;
    private volatile SSLContext clientSslContext;

    private DevelopmentCertificates(CertificateAuthority authority, ServerCredential server, TlsDirectory files) {
        this.authority = authority;
        this.server = server;
        this.files = files;
        this.serverKeyStore = serverKeyStore(authority, server);
        this.trustStore = trustStore(authority);
    }

    /**
     * Loads the CA and server certificate from {@code <dataDir>/tls/}, creating or re-issuing what is missing or
     * no longer fits; or, with a null directory, keeps them in memory, shared by every caller in this JVM that asks
     * for the same host names (key generation is slow, and test suites start many hubs).
     *
     * @param hostNames the names clients will use besides the loopback ones: DNS names or IP literals
     * @throws DevelopmentCertificateException if a file in the tls directory is unreadable or inconsistent
     * @throws IllegalArgumentException        if a host name is neither a DNS name nor an IP address
     */
    public static DevelopmentCertificates loadOrCreate(Path dataDirOrNull, Collection<String> hostNames) {
        return loadOrCreate(dataDirOrNull, hostNames, Clock.systemUTC());
    }

    /** As {@link #loadOrCreate(Path, Collection)}, deciding validity at {@code clock}'s now (in memory: on creation only). */
    static DevelopmentCertificates loadOrCreate(Path dataDirOrNull, Collection<String> hostNames, Clock clock) {
        Set<HostName> names = new HashSet<>(HostName.LOOPBACK);
        names.addAll(HostName.parseAll(hostNames));
        Instant now = clock.instant();
        if (dataDirOrNull == null) {
            return IN_MEMORY.computeIfAbsent(Set.copyOf(names), key -> {
                CertificateAuthority authority = inMemoryAuthority(now);
                return new DevelopmentCertificates(authority, authority.issueServerCredential(key, now), null);
            });
        }
        synchronized (DevelopmentCertificates.class) {
            return fromDirectory(new TlsDirectory(dataDirOrNull), names, now);
        }
    }

    private static synchronized CertificateAuthority inMemoryAuthority(Instant now) {
        if (inMemoryAuthority == null) {
            inMemoryAuthority = CertificateAuthority.create(now);
        }
        return inMemoryAuthority;
    }

    private static DevelopmentCertificates fromDirectory(TlsDirectory files, Set<HostName> names, Instant now) {
        char[] password = PASSWORD.toCharArray();
        CertificateAuthority authority = files.readCertificateAuthority()
                .filter(ca -> ca.validFor(RENEWAL_MARGIN, now))
                .orElse(null);
        if (authority == null) {
            // first start, or a CA about to expire: learners must trust the new one
            authority = CertificateAuthority.create(now);
            files.writeCertificateAuthority(authority);
        }
        Optional<ServerCredential> existing = files.readServerCredential(password);
        CertificateAuthority issuer = authority;
        Optional<ServerCredential> sameCa = existing.filter(s -> issuer.signed(s.certificate()));
        ServerCredential server = sameCa
                .filter(s -> s.covers(names) && s.validFor(RENEWAL_MARGIN, now))
                .orElse(null);
        DevelopmentCertificates certificates;
        if (server == null) {
            Set<HostName> wanted = new HashSet<>(names);
            // keep naming the hosts the old certificate named, so alternating host sets do not re-issue every time
            sameCa.ifPresent(s -> wanted.addAll(HostName.inCertificate(s.certificate())));
            certificates = new DevelopmentCertificates(authority, authority.issueServerCredential(wanted, now), files);
            files.writeServerKeyStore(certificates.serverKeyStore, password);
        } else {
            certificates = new DevelopmentCertificates(authority, server, files);
        }
        Optional<Certificate> trusted = files.readTrustedCertificate(password);
        if (trusted.isEmpty() || !trusted.get().equals(authority.certificate())) {
            files.writeTrustStore(certificates.trustStore, password);
        }
        return certificates;
    }

    /** The CA certificate in PEM form, e.g. for {@code IotHubSSLContext.getSSLContextFromString}. */
    public String caPem() {
        return TlsDirectory.pem("CERTIFICATE", TlsDirectory.encoded(authority.certificate()));
    }

    public X509Certificate caCertificate() {
        return authority.certificate();
    }

    /**
     * A client certificate for a device (or a module, {@code {deviceId}/{moduleId}}) signed by the development CA,
     * with the id as its subject CN: what a {@code certificateAuthority} identity connects with. A new key each call.
     */
    public DeviceCertificate issueDeviceCertificate(String identityId) {
        return authority.issueDeviceCertificate(identityId, Instant.now());
    }

    /** The certificate the hub presents. */
    public X509Certificate serverCertificate() {
        return server.certificate();
    }

    /** PKCS#12 store with the server key under alias {@code localhub} and the chain server, CA. */
    public KeyStore serverKeyStore() {
        return serverKeyStore;
    }

    /** {@value #PASSWORD}, for both key stores and the server key entry. A new array on every call. */
    public char[] keyStorePassword() {
        return PASSWORD.toCharArray();
    }

    /** PKCS#12 store with only the CA, as a trusted certificate. */
    public KeyStore trustStore() {
        return trustStore;
    }

    public Optional<Path> caPemFile() {
        return Optional.ofNullable(files).map(f -> f.caPem);
    }

    public Optional<Path> trustStoreFile() {
        return Optional.ofNullable(files).map(f -> f.trustStore);
    }

    public Optional<Path> serverKeyStoreFile() {
        return Optional.ofNullable(files).map(f -> f.serverKeyStore);
    }

    /**
     * A {@code TLSv1.2} client context that trusts this CA and nothing else, the way the device SDK builds its own;
     * pass it to {@code ClientOptions.builder().sslContext(…)}. Host names are still checked by the client (Paho and
     * {@code HttpsURLConnection} do).
     */
    public SSLContext clientSslContext() {
        SSLContext context = clientSslContext;
        if (context == null) {
            try {
                TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
                trust.init(trustStore);
                context = SSLContext.getInstance("TLSv1.2");
                context.init(null, trust.getTrustManagers(), new SecureRandom());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JVM cannot build a TLSv1.2 client context", e);
            }
            clientSslContext = context;
        }
        return context;
    }

    private static KeyStore serverKeyStore(CertificateAuthority authority, ServerCredential server) {
        KeyStore store = emptyPkcs12();
        try {
            store.setKeyEntry(TlsDirectory.ALIAS_SERVER, server.key(), PASSWORD.toCharArray(),
                    new Certificate[] {server.certificate(), authority.certificate()});
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot put the server key into a PKCS#12 store", e);
        }
        return store;
    }

    private static KeyStore trustStore(CertificateAuthority authority) {
        KeyStore store = emptyPkcs12();
        try {
            store.setCertificateEntry(TlsDirectory.ALIAS_CA, authority.certificate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot put the CA into a PKCS#12 store", e);
        }
        return store;
    }

    private static KeyStore emptyPkcs12() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime supports PKCS#12", e);
        }
    }

    @Override
    public String toString() {
        return "DevelopmentCertificates[ca=" + authority.certificate().getSubjectX500Principal() + ", hosts="
                + HostName.inCertificate(server.certificate()) + (files == null ? ", in memory" : ", " + files.caPem.getParent())
                + "]";
    }

}
