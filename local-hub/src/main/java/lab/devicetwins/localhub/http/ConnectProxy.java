package lab.devicetwins.localhub.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An HTTP CONNECT proxy that tunnels {@code {hub host}:443} to the hub's own HTTPS listener, for machines where the hub
 * cannot bind 443 (Linux without root). The service SDK reaches it through {@code ProxyOptions}; TLS still runs end to
 * end between the SDK and the hub. It tunnels to nothing else: it is not an open proxy.
 *
 * <p>A connection must send its whole request head within {@link ConnectionLimits#requestTimeout()}, a tunnel that
 * carries no byte for {@link ConnectionLimits#tunnelIdleTimeout()} is closed, and beyond
 * {@link ConnectionLimits#maxConnectionsPerPort()} open connections a new one is answered 503 and closed.
 */
public final class ConnectProxy {
    private static final Logger LOG = Logger.getLogger(ConnectProxy.class.getName());
    /** The request line, the headers and the empty line that ends them. */
    private static final int MAX_HEAD_BYTES = 8192;
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final Vertx vertx;
    private final Set<String> hubHosts;
    private final String targetHost;
    private final int targetPort;
    private final ConnectionLimits limits;
    private final ConnectionCap cap;
    private NetServer server;
    private NetClient client;

    public ConnectProxy(Vertx vertx, Set<String> hubHosts, String targetHost, int targetPort, ConnectionLimits limits) {
        this.vertx = vertx;
        this.hubHosts = hubHosts;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.limits = limits;
        this.cap = new ConnectionCap("CONNECT proxy", limits.maxConnectionsPerPort());
    }

    public Future<Integer> listen(String host, int port) {
        client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000));
        // the idle timeout also runs while the head is awaited, but the request timeout is the shorter one there
        server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                .setIdleTimeout(Math.toIntExact(limits.tunnelIdleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
        server.connectHandler(this::onConnection);
        return server.listen().map(NetServer::actualPort);
    }

    public Future<Void> close() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.compose(v -> client == null ? Future.succeededFuture() : client.close());
    }

    private void onConnection(NetSocket socket) {
        if (!cap.tryOpen()) {
            answer(socket, "503 Service Unavailable");
            return;
        }
        ClientConnection connection = new ClientConnection(socket);
        socket.closeHandler(v -> {
            connection.closed();
            cap.closed();
        });
        socket.exceptionHandler(e -> socket.close());
        socket.handler(connection::onHead);
    }

    /** One client connection, from its request head to its tunnel; used on that connection's event loop only. */
    private final class ClientConnection {
        private final NetSocket socket;
        private final Buffer head = Buffer.buffer();
        private final long headTimer;
        private boolean headDone;
        private boolean closed;
        private NetSocket upstream;

        ClientConnection(NetSocket socket) {
            this.socket = socket;
            this.headTimer = vertx.setTimer(limits.requestTimeout().toMillis(), id -> {
                headDone = true;
                LOG.fine(() -> "the CONNECT proxy closed a connection that sent no complete request head within "
                        + limits.requestTimeout().toMillis() + " ms");
                answer(socket, "408 Request Timeout");
            });
        }

        void onHead(Buffer chunk) {
            if (headDone) {
                return;
            }
            int searchFrom = Math.max(0, head.length() - (END_OF_HEAD.length - 1));
            head.appendBuffer(chunk);
            int end = indexOf(head, END_OF_HEAD, searchFrom);
            int headLength = end < 0 ? head.length() : end + END_OF_HEAD.length;
            if (headLength > MAX_HEAD_BYTES) {
                finishHead();
                answer(socket, "431 Request Header Fields Too Large");
                return;
            }
            if (end < 0) {
                return;
            }
            finishHead();
            socket.pause();
            tunnel(head.getString(0, end, StandardCharsets.ISO_8859_1.name()), head.getBuffer(headLength, head.length()));
        }

        private void finishHead() {
            headDone = true;
            vertx.cancelTimer(headTimer);
        }

        void closed() {
            closed = true;
            vertx.cancelTimer(headTimer);
            if (upstream != null) {
                upstream.close();
            }
        }

        private void tunnel(String requestHead, Buffer rest) {
            String requestLine = requestHead.lines().findFirst().orElse("");
            String[] parts = requestLine.split(" ");
            if (parts.length != 3 || !parts[0].equals("CONNECT")) {
                answer(socket, "405 Method Not Allowed");
                return;
            }
            String authority = parts[1].toLowerCase(Locale.ROOT);
            int colon = authority.lastIndexOf(':');
            String host = colon < 0 ? authority : authority.substring(0, colon);
            String port = colon < 0 ? "443" : authority.substring(colon + 1);
            if (!hubHosts.contains(host) || !port.equals("443")) {
                LOG.info("refused to tunnel to " + authority + ": this proxy only reaches the local hub on port 443");
                answer(socket, "403 Forbidden");
                return;
            }
            client.connect(targetPort, targetHost).onComplete(ar -> {
                if (ar.failed()) {
                    answer(socket, "502 Bad Gateway");
                    return;
                }
                NetSocket target = ar.result();
                if (closed) {
                    // the client left while the hub's port was being reached
                    target.close();
                    return;
                }
                upstream = target;
                target.setWriteQueueMaxSize(256 * 1024);
                socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
                if (rest.length() > 0) {
                    target.write(rest);
                }
                socket.pipeTo(target);
                target.pipeTo(socket);
            });
        }
    }

    private static int indexOf(Buffer buffer, byte[] pattern, int from) {
        for (int i = from; i <= buffer.length() - pattern.length; i++) {
            int j = 0;
            while (j < pattern.length && buffer.getByte(i + j) == pattern[j]) {
                j++;
            }
            if (j == pattern.length) {
                return i;
            }
        }
        return -1;
    }

    /** Answers with a status and no body, then closes the connection. */
    private static void answer(NetSocket socket, String status) {
        socket.write("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .onComplete(v -> socket.close());
        LOG.log(Level.FINE, "proxy answered " + status);
    }
}
