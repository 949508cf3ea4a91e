package lab.devicetwins.localhub.tls;

import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Function;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server side's trust for client certificates: every chain passes the TLS handshake, because whether it proves
 * anything depends on the identity the client names later, in its MQTT CONNECT (contract §12.4). The hub checks it
 * there ({@code auth.ClientCertificateCheck}); a chain that proves nothing gets CONNACK 5, not a handshake failure,
 * so the SDK reports an authentication error rather than a network one.
 *
 * <p>It names no accepted issuers, so the server's CertificateRequest carries an empty certificate_authorities list:
 * the JDK's key managers offer a client certificate only when its issuer is in a non-empty list, and a device's
 * self-signed certificate is issued by nobody the hub could name. Never use it to check a server.
 */
public final class DeferredClientCertificateTrust extends X509ExtendedTrustManager {

    /**
     * This trust as Vert.x server options. Not {@code TrustOptions.wrap(trustManager)}: Vert.x's wrapper for a bare
     * trust manager logs through SLF4J, which the hub's jar does not carry, so the factory is made here.
     */
    public static TrustOptions options() {
        DeferredClientCertificateTrust trust = new DeferredClientCertificateTrust();
        return new TrustOptions() {
            @Override
            public TrustOptions copy() {
                return this;
            }

            @Override
            public TrustManagerFactory getTrustManagerFactory(Vertx vertx) {
                return new SingleTrustManagerFactory(trust);
            }

            @Override
            public Function<String, TrustManager[]> trustManagerMapper(Vertx vertx) {
                return serverName -> new TrustManager[] {trust};
            }
        };
    }

    /** A factory that hands out one trust manager, whatever it is initialised with. */
    private static final class SingleTrustManagerFactory extends TrustManagerFactory {
        SingleTrustManagerFactory(TrustManager trust) {
            super(new TrustManagerFactorySpi() {
                @Override
                protected void engineInit(KeyStore keyStore) {
                    // nothing to read: the one trust manager is fixed
                }

                @Override
                protected void engineInit(ManagerFactoryParameters parameters) {
                    // as above
                }

                @Override
                protected TrustManager[] engineGetTrustManagers() {
                    return new TrustManager[] {trust};
                }
            }, null, "deferred-client-certificates");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // checked at CONNECT, against the identity the client connects as
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // as above
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // as above
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager only lets client certificates through to the hub's check");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
