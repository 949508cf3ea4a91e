package lab.devicetwins.localhub.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a connection to the hub may take for each step, and how many may be open on one port, so that clients
 * which connect and then send nothing, or send their request a byte at a time, cannot hold the hub's ports. The
 * defaults are far above what the official SDKs need; the other values exist so tests can watch a limit act in
 * seconds.
 *
 * <p>IoT Hub does not document its own values for any of these.
 *
 * @param tlsHandshakeTimeout on the HTTPS port, from accepting a connection until its TLS handshake is complete.
 *     Default 10 s, Vert.x's own default, which the MQTT port keeps: a handshake on loopback or a LAN takes
 *     milliseconds, and the service SDK waits longer (its read timeout is 24 s).
 * @param requestTimeout on the HTTPS port and the CONNECT proxy, from the connection's start (on HTTPS: the end of its
 *     TLS handshake) or the end of the previous response until the next request (head and body) has arrived. Default
 *     20 s: the service SDK writes a request at once, and the JDK under it keeps an unused connection for 5 s before it
 *     closes it on its own side, so no connection it would still reuse is cut. This is the limit that ends a client
 *     dribbling its request, which an idle timeout never sees: every byte restarts that one.
 * @param idleTimeout on the HTTPS port, how long a connection may pass no byte in either direction: a stalled upload,
 *     a client that stopped reading its answer, an idle keep-alive connection. Default 30 s, above the service SDK's
 *     24 s read timeout: the hub never cuts a connection whose answer an SDK with default options still waits for.
 * @param tunnelIdleTimeout on the CONNECT proxy, how long an established tunnel may pass no byte. Default 60 s, twice
 *     the HTTPS port's idle timeout: a service SDK's keep-alive connection runs through the tunnel to the HTTPS port,
 *     whose own limits end it first, and the tunnel closes with it; this one only catches a tunnel whose far side
 *     never closes.
 * @param maxConnectionsPerPort how many connections the HTTPS port, and separately the CONNECT proxy, keep open at once;
 *     beyond it new connections are closed at once while the open ones are still served. Default 512: the service
 *     SDK's HttpURLConnection keeps at most 5 idle connections per destination, but a test suite that makes a
 *     {@code java.net.http} client per test holds one open connection per client until the idle timeout ends it
 *     (300 such tests in 30 s were seen to pass 128); 512 per port leaves room for that while two capped ports stay
 *     inside a 1024-descriptor limit with the MQTT port's. The MQTT port has no cap: it is meant to hold thousands of
 *     devices.
 * @param mqttConnectTimeout from accepting an MQTT connection until its CONNECT packet has arrived; whole seconds, as
 *     the MQTT server counts them. Default 30 s, as long as Paho waits for its CONNACK, so no client the device SDK
 *     would still wait for is cut off.
 */
public record ConnectionLimits(Duration tlsHandshakeTimeout, Duration requestTimeout, Duration idleTimeout,
                               Duration tunnelIdleTimeout, int maxConnectionsPerPort, Duration mqttConnectTimeout) {

    private static final ConnectionLimits DEFAULTS = new ConnectionLimits(Duration.ofSeconds(10), Duration.ofSeconds(20),
            Duration.ofSeconds(30), Duration.ofSeconds(60), 512, Duration.ofSeconds(30));

    public ConnectionLimits {
        positive("tlsHandshakeTimeout", tlsHandshakeTimeout);
        positive("requestTimeout", requestTimeout);
        positive("idleTimeout", idleTimeout);
        positive("tunnelIdleTimeout", tunnelIdleTimeout);
        positive("mqttConnectTimeout", mqttConnectTimeout);
        if (mqttConnectTimeout.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("mqttConnectTimeout must be whole seconds, was " + mqttConnectTimeout);
        }
        if (maxConnectionsPerPort <= 0) {
            throw new IllegalArgumentException("maxConnectionsPerPort must be positive, was " + maxConnectionsPerPort);
        }
    }

    /** The values described on each component above. */
    public static ConnectionLimits defaults() {
        return DEFAULTS;
    }

    public ConnectionLimits withTlsHandshakeTimeout(Duration timeout) {
        return new ConnectionLimits(timeout, requestTimeout, idleTimeout, tunnelIdleTimeout, maxConnectionsPerPort,
                mqttConnectTimeout);
    }

    public ConnectionLimits withRequestTimeout(Duration timeout) {
        return new ConnectionLimits(tlsHandshakeTimeout, timeout, idleTimeout, tunnelIdleTimeout, maxConnectionsPerPort,
                mqttConnectTimeout);
    }

    public ConnectionLimits withIdleTimeout(Duration timeout) {
        return new ConnectionLimits(tlsHandshakeTimeout, requestTimeout, timeout, tunnelIdleTimeout, maxConnectionsPerPort,
                mqttConnectTimeout);
    }

    public ConnectionLimits withTunnelIdleTimeout(Duration timeout) {
        return new ConnectionLimits(tlsHandshakeTimeout, requestTimeout, idleTimeout, timeout, maxConnectionsPerPort,
                mqttConnectTimeout);
    }

    public ConnectionLimits withMaxConnectionsPerPort(int connections) {
        return new ConnectionLimits(tlsHandshakeTimeout, requestTimeout, idleTimeout, tunnelIdleTimeout, connections,
                mqttConnectTimeout);
    }

    public ConnectionLimits withMqttConnectTimeout(Duration timeout) {
        return new ConnectionLimits(tlsHandshakeTimeout, requestTimeout, idleTimeout, tunnelIdleTimeout,
                maxConnectionsPerPort, timeout);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
