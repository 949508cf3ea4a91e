package lab.devicetwins.localhub.mqtt;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections {@link MqttOverWebSockets} has opened to the device endpoint's loopback listener, by the bridge's
 * local port, each with the client certificate chain of the TLS connection it carries. The listener serves only the
 * connections announced here, so a local process that finds the loopback port gains nothing: it is neither a way
 * around TLS nor around the client-certificate check.
 */
final class BridgedConnections {
    private final Map<Integer, List<X509Certificate>> byLocalPort = new ConcurrentHashMap<>();

    /**
     * Called before the bridge forwards any byte, so the announcement is there before the CONNECT can be. Returns
     * what {@link #forget} needs.
     */
    List<X509Certificate> announce(int bridgeLocalPort, List<X509Certificate> peerChain) {
        List<X509Certificate> announced = List.copyOf(peerChain);
        byLocalPort.put(bridgeLocalPort, announced);
        return announced;
    }

    /** The chain of the bridged connection from {@code remotePort}, once; empty for a connection nobody announced. */
    Optional<List<X509Certificate>> claim(int remotePort) {
        return Optional.ofNullable(byLocalPort.remove(remotePort));
    }

    /** The bridged connection ended (perhaps before its CONNECT); a later one on the same port is left alone. */
    void forget(int bridgeLocalPort, List<X509Certificate> announced) {
        byLocalPort.remove(bridgeLocalPort, announced);
    }
}
