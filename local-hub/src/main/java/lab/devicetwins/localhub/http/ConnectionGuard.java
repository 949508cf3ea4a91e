package lab.devicetwins.localhub.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Keeps an HTTP server's port from being held by connections that make no requests. Vert.x bounds the TLS handshake
 * and the time without any byte ({@link ConnectionLimits#tlsHandshakeTimeout()}, {@link ConnectionLimits#idleTimeout()});
 * this class adds what Vert.x has no option for:
 * <ul>
 *   <li>the request timeout: a connection whose next request has not fully arrived within
 *       {@link ConnectionLimits#requestTimeout()} of its TLS handshake, or of the end of the previous response, is
 *       closed. A client sending one byte every few seconds keeps restarting the idle timeout, never this one;</li>
 *   <li>the cap: beyond {@link ConnectionLimits#maxConnectionsPerPort()} open connections, a new one is closed as soon
 *       as its handshake is done, and the open ones are served as before. Connections still in their handshake are
 *       not counted; the handshake timeout bounds them.</li>
 * </ul>
 * It learns that a response is complete from the response's {@code endHandler}, so request handlers must leave that
 * handler to it.
 */
final class ConnectionGuard {
    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class.getName());

    private final Vertx vertx;
    private final String port;
    private final ConnectionLimits limits;
    private final ConnectionCap cap;
    private final Map<HttpConnection, RequestTimer> timers = new ConcurrentHashMap<>();

    /** {@code port} names the port in log lines, e.g. "HTTPS". */
    ConnectionGuard(Vertx vertx, String port, ConnectionLimits limits) {
        this.vertx = vertx;
        this.port = port;
        this.limits = limits;
        this.cap = new ConnectionCap(port, limits.maxConnectionsPerPort());
    }

    /** Sets the handshake and idle timeouts on the server's options; returns them. */
    HttpServerOptions applyTo(HttpServerOptions options) {
        return options
                .setSslHandshakeTimeout(limits.tlsHandshakeTimeout().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout(Math.toIntExact(limits.idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    /** Takes the server's connection handler, and its request handler, which hands every request on to {@code requests}. */
    void watch(HttpServer server, Handler<HttpServerRequest> requests) {
        server.connectionHandler(this::onConnection);
        server.requestHandler(request -> {
            RequestTimer timer = timers.get(request.connection());
            if (timer != null) {
                timer.started(request);
            }
            requests.handle(request);
        });
    }

    private void onConnection(HttpConnection connection) {
        if (!cap.tryOpen()) {
            connection.close();
            return;
        }
        RequestTimer timer = new RequestTimer(connection);
        timers.put(connection, timer);
        connection.closeHandler(v -> {
            timers.remove(connection);
            timer.closed();
            cap.closed();
        });
        timer.awaitRequest();
    }

    /** The request timeout of one connection; used on that connection's event loop only. */
    private final class RequestTimer {
        private final HttpConnection connection;
        private HttpServerRequest current;
        private long timerId = -1;
        private boolean closed;

        RequestTimer(HttpConnection connection) {
            this.connection = connection;
        }

        void awaitRequest() {
            cancel();
            if (!closed) {
                timerId = vertx.setTimer(limits.requestTimeout().toMillis(), id -> expire());
            }
        }

        /** The head of a request arrived; the timer runs on until its body has too. */
        void started(HttpServerRequest request) {
            current = request;
            request.end().onComplete(ended -> {
                if (current == request) {
                    cancel();
                }
            });
            // an early answer (e.g. 413 for a body that is too large) ends the response first; then the next request
            // is awaited from there, while the rest of this body is still read and dropped
            request.response().endHandler(v -> {
                if (current == request) {
                    current = null;
                    awaitRequest();
                }
            });
        }

        void closed() {
            closed = true;
            cancel();
        }

        private void cancel() {
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
                timerId = -1;
            }
        }

        private void expire() {
            timerId = -1;
            LOG.fine(() -> "closed an " + port + " connection whose request had not arrived within "
                    + limits.requestTimeout().toMillis() + " ms");
            connection.close();
        }
    }
}
