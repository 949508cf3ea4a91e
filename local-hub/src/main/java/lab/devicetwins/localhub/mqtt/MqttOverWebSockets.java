package lab.devicetwins.localhub.mqtt;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * MQTT over WebSockets (contract §16): carries the MQTT bytes of a WebSocket that the HTTPS port has upgraded on
 * {@code /$iothub/websocket} into the device endpoint, so such a device meets the same {@code ConnectAuthorizer},
 * sessions, topics, limits and timers as one on port 8883.
 *
 * <p>Why a loopback bridge. The device SDK dials 443 for {@code MQTT_WS}, the port of the REST API, so the WebSocket
 * must come out of the HTTPS server. Vert.x 5.0.7 offers no way to hand an upgraded connection to its MQTT server:
 * {@code MqttServerOptions.setUseWebSocket(true)} makes the MQTT server its own HTTP server on its own port, with the
 * path fixed to {@code /mqtt}, and its connection class takes a raw TCP socket, not a {@code ServerWebSocket}.
 * Putting a protocol sniffer in front of both servers would add a hop to every REST request; re-implementing MQTT on
 * top of WebSocket frames would duplicate the endpoint. So each WebSocket gets a plain TCP connection to a second
 * listener of the same {@link MqttDeviceEndpoint} on a free loopback port, and this class copies bytes both ways. REST
 * requests never pass here. The client certificate of the TLS connection is announced to the listener before the
 * first byte ({@link BridgedConnections}), so X.509 devices are checked at CONNECT exactly as on 8883, and that
 * listener serves nothing that did not come through here.
 *
 * <p>MQTT needs binary frames (MQTT 3.1.1 §6): a text frame closes the connection. Frame and packet boundaries are
 * unrelated: one packet may span frames and one frame may hold packets. Either side closing closes the other.
 * The WebSocket runs on the HTTPS port, whose idle timeout is there for REST clients, and perhaps through the CONNECT
 * proxy, whose tunnels have one too, while a device may stay silent for its whole MQTT keep-alive (230 s for the Java
 * SDK). So the bridge sends an <em>empty binary frame</em> every {@code keepOpen}, and neither timeout cuts a live
 * device; the MQTT keep-alive, counted on the device's own bytes, still ends a silent one. Not a ping: Paho 1.2.5,
 * under the Java device SDK, reads only binary and close frames from a server and drops the connection on any other
 * opcode (ping, pong, text, continuation), while an empty binary frame adds no byte to its MQTT stream. For the same
 * reason each write to the device is one whole binary frame, never fragmented.
 */
public final class MqttOverWebSockets {
    private static final Logger LOG = Logger.getLogger(MqttOverWebSockets.class.getName());
    /** A WebSocket frame carrying the largest packet the endpoint takes, with room for its header. */
    public static final int MAX_FRAME_SIZE = MqttDeviceEndpoint.MAX_MESSAGE_SIZE + 16;
    /** Bytes queued towards either side before the other is paused. */
    private static final int WRITE_QUEUE_BYTES = 512 * 1024;

    private final Vertx vertx;
    private final MqttDeviceEndpoint endpoint;
    private final BridgedConnections connections = new BridgedConnections();
    private NetClient client;
    private int listenerPort;
    private Duration keepOpen;

    public MqttOverWebSockets(Vertx vertx, MqttDeviceEndpoint endpoint) {
        this.vertx = vertx;
        this.endpoint = endpoint;
    }

    /**
     * Opens the endpoint's loopback listener. {@code connectTimeout} is the MQTT port's (whole seconds);
     * {@code keepOpen} how often an empty frame is sent, shorter than every idle timeout between the device and the hub.
     */
    public Future<Integer> listen(Duration connectTimeout, Duration keepOpen) {
        this.keepOpen = keepOpen;
        client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000));
        return endpoint.listenBridged(connections, connectTimeout).onSuccess(port -> listenerPort = port);
    }

    public Future<Void> close() {
        return client == null ? Future.succeededFuture() : client.close();
    }

    /** Takes an upgraded WebSocket whose subprotocol is {@code mqtt}; from here on it is an MQTT connection. */
    public void accept(ServerWebSocket webSocket) {
        List<X509Certificate> chain = ConnectAuthorizer.peerChain(webSocket.sslSession());
        webSocket.pause(); // frames that arrive before the bridge is up wait in the WebSocket
        client.connect(listenerPort, InetAddress.getLoopbackAddress().getHostAddress()).onComplete(connected -> {
            if (connected.failed()) {
                LOG.log(Level.WARNING, "MQTT over WebSockets could not reach the MQTT listener", connected.cause());
                webSocket.close((short) 1011, "the hub could not take the connection");
                return;
            }
            NetSocket mqtt = connected.result();
            if (webSocket.isClosed()) {
                mqtt.close();
                return;
            }
            new Bridge(webSocket, mqtt, chain).start();
        });
    }

    /** One WebSocket and its MQTT connection; used on the WebSocket's event loop only. */
    private final class Bridge {
        private final ServerWebSocket webSocket;
        private final NetSocket mqtt;
        private final int port;
        private final List<X509Certificate> announced;
        private long keepOpenTimer = -1;

        Bridge(ServerWebSocket webSocket, NetSocket mqtt, List<X509Certificate> chain) {
            this.webSocket = webSocket;
            this.mqtt = mqtt;
            this.port = mqtt.localAddress().port();
            this.announced = connections.announce(port, chain);
        }

        void start() {
            mqtt.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
            webSocket.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
            mqtt.closeHandler(v -> {
                connections.forget(port, announced);
                stopKeepingOpen();
                if (!webSocket.isClosed()) {
                    webSocket.close();
                }
            });
            webSocket.closeHandler(v -> {
                stopKeepingOpen();
                mqtt.close();
            });
            mqtt.exceptionHandler(e -> mqtt.close());
            webSocket.exceptionHandler(e -> {
                LOG.log(Level.FINE, "MQTT over WebSockets failed: " + e.getMessage());
                webSocket.close();
            });
            mqtt.handler(this::toDevice);
            webSocket.frameHandler(this::fromDevice);
            keepOpenTimer = vertx.setPeriodic(keepOpen.toMillis(), id -> {
                if (!webSocket.isClosed()) {
                    webSocket.write(Buffer.buffer());
                }
            });
            webSocket.resume();
        }

        private void fromDevice(WebSocketFrame frame) {
            if (frame.isText()) {
                LOG.info("closing an MQTT over WebSockets connection that sent a text frame: MQTT needs binary frames");
                webSocket.close((short) 1003, "MQTT needs binary frames");
                return;
            }
            if (!frame.isBinary() && !frame.isContinuation()) {
                return; // ping, pong and close are the WebSocket's own business
            }
            mqtt.write(frame.binaryData());
            if (mqtt.writeQueueFull()) {
                webSocket.pause();
                mqtt.drainHandler(v -> webSocket.resume());
            }
        }

        private void toDevice(Buffer bytes) {
            if (webSocket.isClosed()) {
                return;
            }
            webSocket.write(bytes);
            if (webSocket.writeQueueFull()) {
                mqtt.pause();
                webSocket.drainHandler(v -> mqtt.resume());
            }
        }

        private void stopKeepingOpen() {
            if (keepOpenTimer >= 0) {
                vertx.cancelTimer(keepOpenTimer);
                keepOpenTimer = -1;
            }
        }
    }
}
