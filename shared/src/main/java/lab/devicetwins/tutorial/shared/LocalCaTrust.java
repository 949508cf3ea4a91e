package lab.devicetwins.tutorial.shared;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
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
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust in a local hub's development CA, added to (never instead of) the JDK's own trusted CAs, with
 * certificate and host-name checks left on.
 *
 * <p>Why this exists: the service SDK opens its HTTPS connections with {@link HttpsURLConnection} and has no
 * option for an {@link SSLContext}, so it can only be taught a new CA through the JVM-wide default socket
 * factory of {@code HttpsURLConnection}. The device SDK takes an {@code SSLContext} in its {@code ClientOptions}
 * and does not need this class.
 */
public final class LocalCaTrust {

    private static final Set<X509Certificate> INSTALLED = new LinkedHashSet<>();

    private LocalCaTrust() {
    }

    /** Parses the PEM text of one or more certificates. */
    public static List<X509Certificate> certificates(String pem) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Collection<? extends Certificate> parsed =
                    factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : parsed) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("No certificate found in the local hub's CA PEM text");
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The local hub's CA PEM text is not a valid certificate", e);
        }
    }

    /** A trust manager that accepts what the JDK's default trust store accepts, plus the given CAs. */
    public static X509TrustManager trustManager(Collection<X509Certificate> extraCas) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (X509Certificate jdkCa : defaultTrustManager().getAcceptedIssuers()) {
                store.setCertificateEntry("jdk-" + index++, jdkCa);
            }
            index = 0;
            for (X509Certificate localCa : extraCas) {
                store.setCertificateEntry("local-hub-ca-" + index++, localCa);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return firstX509(factory);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Cannot build a trust store with the local hub's CA", e);
        }
    }

    /** An SSL context for clients that trusts the JDK's default CAs plus the given CAs. */
    public static SSLContext sslContext(Collection<X509Certificate> extraCas) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trustManager(extraCas)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot create an SSL context", e);
        }
    }

    /**
     * Makes every {@link HttpsURLConnection} opened from now on (the service SDK's transport) trust the given
     * CA in addition to the JDK's CAs and the local CAs installed before. Returns the installed context.
     */
    public static synchronized SSLContext installForHttpsUrlConnection(String caPem) {
        INSTALLED.addAll(certificates(caPem));
        SSLContext context = sslContext(INSTALLED);
        HttpsURLConnection.setDefaultSSLSocketFactory(context.getSocketFactory());
        return context;
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return firstX509(factory);
    }

    private static X509TrustManager firstX509(TrustManagerFactory factory) {
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("The JDK offers no X.509 trust manager");
    }
}
