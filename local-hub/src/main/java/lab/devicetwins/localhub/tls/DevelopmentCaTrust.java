package lab.devicetwins.localhub.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A client's trust in a local hub's development CA, built from the PEM the hub exports ({@code tls/ca.pem}, named by
 * {@code LOCALHUB_CA_PEM} in hub.env, or {@link DevelopmentCertificates#caPem()}). Certificate and host-name checks
 * stay on; nothing here trusts all.
 *
 * <p>Two kinds of context: {@link #sslContext()} trusts the development CA and nothing else, as the device SDK's
 * {@code IotHubSSLContext} does with a PEM (TLS 1.2, PKIX), for clients that only ever talk to the hub;
 * {@link #sslContextWithJdkCas()} adds the CA to the JDK's own trusted CAs, for clients that may also reach other
 * servers, such as a real IoT Hub.
 *
 * <p>The service SDK opens its connections with {@link HttpsURLConnection} and takes no {@link SSLContext}, so it can
 * only be taught a CA through the JVM-wide default socket factory: {@link #installForHttpsUrlConnection()}.
 */
public final class DevelopmentCaTrust {

    /** Every CA installed for {@code HttpsURLConnection} in this JVM: installing one more must not drop the others. */
    private static final Set<X509Certificate> INSTALLED = new LinkedHashSet<>();

    private final List<X509Certificate> certificates;

    private DevelopmentCaTrust(List<X509Certificate> certificates) {
        this.certificates = List.copyOf(certificates);
    }

    /**
     * Trust in the CA certificates of this PEM text (one or more {@code BEGIN CERTIFICATE} blocks).
     *
     * @throws IllegalArgumentException if the text holds no certificate or one that cannot be parsed
     */
    public static DevelopmentCaTrust fromPem(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Certificate certificate : factory.generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                if (certificate instanceof X509Certificate x509) {
                    certificates.add(x509);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The local hub's CA PEM text is not a valid certificate", e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("No certificate found in the local hub's CA PEM text");
        }
        return new DevelopmentCaTrust(certificates);
    }

    /**
     * As {@link #fromPem}, from a PEM file such as the hub's {@code tls/ca.pem}.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if it holds no certificate; the message names the file
     */
    public static DevelopmentCaTrust fromPemFile(Path caPem) throws IOException {
        String pem = Files.readString(caPem, StandardCharsets.US_ASCII);
        try {
            return fromPem(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(caPem + ": " + e.getMessage(), e);
        }
    }

    /** The CA certificates, in the order of the PEM text. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** A PKCS#12 store with only these CAs, as trusted certificates. */
    public KeyStore trustStore() {
        return trustStore(certificates, List.of());
    }

    /**
     * A {@code TLSv1.2} client context that trusts these CAs and nothing else, the way the device SDK builds its own
     * from a PEM; pass it to {@code ClientOptions.builder().sslContext(…)} or {@code HttpClient.Builder.sslContext}.
     */
    public SSLContext sslContext() {
        return context("TLSv1.2", trustManager(trustStore()));
    }

    /** A trust manager that accepts what the JDK's default trust store accepts, plus these CAs. */
    public X509TrustManager trustManagerWithJdkCas() {
        return trustManagerWithJdkCas(certificates);
    }

    /** A client context that trusts the JDK's default CAs plus these; it negotiates any TLS version both ends speak. */
    public SSLContext sslContextWithJdkCas() {
        return context("TLS", trustManagerWithJdkCas());
    }

    /**
     * Makes every {@link HttpsURLConnection} opened from now on (the service SDK's transport) trust these CAs, in
     * addition to the JDK's CAs and the development CAs installed before in this JVM. Returns the installed context.
     */
    public SSLContext installForHttpsUrlConnection() {
        synchronized (INSTALLED) {
            INSTALLED.addAll(certificates);
            SSLContext context = context("TLS", trustManagerWithJdkCas(INSTALLED));
            HttpsURLConnection.setDefaultSSLSocketFactory(context.getSocketFactory());
            return context;
        }
    }

    private static X509TrustManager trustManagerWithJdkCas(Collection<X509Certificate> extraCas) {
        List<X509Certificate> jdkCas = List.of(trustManager(null).getAcceptedIssuers());
        return trustManager(trustStore(jdkCas, extraCas));
    }

    private static KeyStore trustStore(Collection<X509Certificate> jdkCas, Collection<X509Certificate> developmentCas) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int index = 0;
            for (X509Certificate ca : jdkCas) {
                store.setCertificateEntry("jdk-" + index++, ca);
            }
            index = 0;
            for (X509Certificate ca : developmentCas) {
                store.setCertificateEntry("local-hub-ca-" + index++, ca);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build a trust store with the local hub's CA", e);
        }
    }

    /** PKIX over {@code store}; a null store means the JDK's default trusted CAs. */
    private static X509TrustManager trustManager(KeyStore store) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("The JDK offers no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build a trust manager for the local hub's CA", e);
        }
    }

    private static SSLContext context(String protocol, X509TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(null, new TrustManager[] {trust}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM cannot build a " + protocol + " client context", e);
        }
    }
}
