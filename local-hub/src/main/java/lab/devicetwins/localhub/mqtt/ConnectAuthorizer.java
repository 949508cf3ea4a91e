package lab.devicetwins.localhub.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.mqtt.MqttEndpoint;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import lab.devicetwins.localhub.auth.Authenticator;
import lab.devicetwins.localhub.auth.DeviceAuthenticationException;
import lab.devicetwins.localhub.auth.DevicePrincipal;

/**
 * Decides a CONNECT before any session state is touched: protocol level, client id, user name and SAS token, or for
 * an identity registered with an X.509 certificate, the client certificate of the TLS connection. The
 * answer is a device principal or the CONNACK code to refuse with, and the reason for the log (MQTT 3.1.1 has no place
 * for it on the wire).
 */
final class ConnectAuthorizer {

    /** What to do with a CONNECT. */
    sealed interface Decision {
    }

    record Accept(DevicePrincipal principal) implements Decision {
    }

    record Refuse(MqttConnectReturnCode code, String reason) implements Decision {
    }

    private final Authenticator authenticator;

    ConnectAuthorizer(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /**
     * {@code peerChain} is the client certificate chain of the TLS connection the CONNECT came over, leaf first (empty
     * when the client sent none): {@link #peerChain(MqttEndpoint)} on the MQTT port, the HTTPS connection's for MQTT
     * over WebSockets, whose TLS ended before the MQTT listener.
     */
    Decision decide(MqttEndpoint endpoint, List<X509Certificate> peerChain) {
        if (endpoint.protocolVersion() != 4) {
            // an MQTT 5 client reads the CONNACK in its own format, where the refusal is 0x84
            return new Refuse(endpoint.protocolVersion() == 5
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION
                    : MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
                    "MQTT protocol level " + endpoint.protocolVersion() + "; IoT Hub speaks MQTT 3.1.1 (level 4)");
        }
        String clientId = endpoint.clientIdentifier();
        if (!isIdentityKey(clientId)) {
            return new Refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "the client id must be a device id, or {deviceId}/{moduleId} for a module");
        }
        if (authenticator.authenticatesWithCertificate(clientId)) {
            return decideByCertificate(clientId, peerChain);
        }
        if (endpoint.auth() == null || endpoint.auth().getPassword() == null) {
            return new Refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                    "no password: a device connects with a SAS token as its password");
        }
        String username = endpoint.auth().getUsername();
        if (username == null || !usernameNamesClient(username, clientId)) {
            return new Refuse(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
                    "the user name must be {hostname}/{clientId}/?api-version=…");
        }
        try {
            return new Accept(authenticator.authenticateDevice(clientId, endpoint.auth().getPassword()));
        } catch (DeviceAuthenticationException e) {
            return new Refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, e.getMessage());
        }
    }

    /** A device id, or a device id and a module id joined by one {@code /}; both non-empty, no U+0000. */
    private static boolean isIdentityKey(String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.indexOf('\u0000') >= 0) {
            return false;
        }
        int slash = clientId.indexOf('/');
        return slash < 0 || (slash > 0 && slash < clientId.length() - 1 && clientId.indexOf('/', slash + 1) < 0);
    }

    /**
     * An X.509 identity proves itself with the client certificate of the TLS connection; a password, if any, is not
     * looked at. Paho sends none (CONNECT flags 0x80) and Vert.x then gives no {@code auth()} at all, user name
     * included, so the client id alone names the identity.
     */
    private Decision decideByCertificate(String clientId, List<X509Certificate> peerChain) {
        try {
            return new Accept(authenticator.authenticateDeviceCertificate(clientId, peerChain));
        } catch (DeviceAuthenticationException e) {
            return new Refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, e.getMessage());
        } catch (RuntimeException e) {
            // a certificate no check could read (the path builder's own failure): refused, never left unanswered
            return new Refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                    "the client certificate could not be checked: " + e.getMessage());
        }
    }

    /** The client's certificate chain of an endpoint's own TLS connection, leaf first; empty when it sent none. */
    static List<X509Certificate> peerChain(MqttEndpoint endpoint) {
        return peerChain(endpoint.sslSession());
    }

    /** The client's certificate chain of a TLS session, leaf first; empty when there is none or it sent none. */
    static List<X509Certificate> peerChain(SSLSession tls) {
        if (tls == null) {
            return List.of();
        }
        try {
            return Stream.of(tls.getPeerCertificates())
                    .filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /** {@code {hostname}/{clientId}/?api-version=…}; the host part is not compared (gateways rewrite it). */
    private static boolean usernameNamesClient(String username, String clientId) {
        int query = username.indexOf("/?");
        String path = query >= 0 ? username.substring(0, query) : username;
        return path.endsWith("/" + clientId);
    }
}
