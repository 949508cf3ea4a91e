package lab.devicetwins.localhub.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/**
 * The WebSocket rules of the HTTPS port (contract §16.3): a request asking for {@code Upgrade: websocket} is an
 * upgrade, whatever its path, and never reaches the REST routes; it is accepted only as {@code GET
 * /$iothub/websocket} (query ignored) offering the subprotocol {@code mqtt}, which the handshake echoes. Everything
 * else is refused with IoT Hub's error body: another path 404, another or no subprotocol 400 (AMQP over WebSockets,
 * {@code AMQPWSB10}, is not implemented). Requests without the header are REST requests, untouched.
 */
final class WebSocketUpgrade {
    static final String PATH = "/$iothub/websocket";
    static final String MQTT_SUBPROTOCOL = "mqtt";
    static final String AMQP_SUBPROTOCOL = "AMQPWSB10";

    private WebSocketUpgrade() {
    }

    /**
     * The handshake settings: {@code mqtt} as the one subprotocol to echo, frames as large as the largest MQTT packet
     * the hub takes, and no compression extensions (no MQTT client asks for them, and they would let a small frame
     * inflate into a large one).
     */
    static HttpServerOptions applyTo(HttpServerOptions options, int maxFrameSize) {
        return options.setWebSocketSubProtocols(List.of(MQTT_SUBPROTOCOL))
                .setMaxWebSocketFrameSize(maxFrameSize)
                .setMaxWebSocketMessageSize(maxFrameSize)
                .setPerFrameWebSocketCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false);
    }

    /** Whether the request asks to become a WebSocket: an {@code Upgrade} header naming {@code websocket}. */
    static boolean requested(HttpServerRequest request) {
        for (String upgrade : request.headers().getAll("Upgrade")) {
            for (String token : upgrade.split(",")) {
                if (token.trim().equalsIgnoreCase("websocket")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Why the upgrade is refused, or null when it is an MQTT-over-WebSockets handshake to accept. */
    static HubException refusal(HttpServerRequest request) {
        if (!isWebSocketPath(request.path())) {
            return new HubException(HubErrorCode.ROUTE_NOT_FOUND, "WebSockets are served on " + PATH + " only");
        }
        if (request.method() != HttpMethod.GET) {
            return new HubException(HubErrorCode.ARGUMENT_INVALID, "a WebSocket handshake is a GET request");
        }
        String connection = request.getHeader("Connection");
        if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
            return new HubException(HubErrorCode.ARGUMENT_INVALID, "a WebSocket handshake needs Connection: Upgrade");
        }
        if (!"13".equals(request.getHeader("Sec-WebSocket-Version")) || request.getHeader("Sec-WebSocket-Key") == null) {
            return new HubException(HubErrorCode.ARGUMENT_INVALID,
                    "a WebSocket handshake needs Sec-WebSocket-Version: 13 and a Sec-WebSocket-Key");
        }
        List<String> offered = subprotocols(request);
        if (offered.contains(MQTT_SUBPROTOCOL)) {
            return null;
        }
        if (offered.contains(AMQP_SUBPROTOCOL)) {
            return new HubException(HubErrorCode.ARGUMENT_INVALID, "AMQP over WebSockets (" + AMQP_SUBPROTOCOL
                    + ") is not implemented by the local hub (see docs/differences-from-iot-hub.md); use MQTT_WS");
        }
        return new HubException(HubErrorCode.ARGUMENT_INVALID, "the WebSocket handshake must offer the subprotocol "
                + MQTT_SUBPROTOCOL + " in Sec-WebSocket-Protocol");
    }

    /** The path itself, or with its {@code $} percent-encoded. */
    private static boolean isWebSocketPath(String path) {
        return path != null && (path.equals(PATH) || path.toLowerCase(Locale.ROOT).equals("/%24iothub/websocket"));
    }

    private static List<String> subprotocols(HttpServerRequest request) {
        List<String> offered = new ArrayList<>();
        for (String header : request.headers().getAll("Sec-WebSocket-Protocol")) {
            for (String token : header.split(",")) {
                offered.add(token.trim());
            }
        }
        return offered;
    }
}
