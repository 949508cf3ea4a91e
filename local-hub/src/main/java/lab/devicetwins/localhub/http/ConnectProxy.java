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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An HTTP CONNECT proxy that tunnels {@code {hub host}:443} to the hub's own HTTPS listener, for machines where the hub
 * cannot bind 443 (Linux without root). The service SDK reaches it through {@code ProxyOptions}; TLS still runs end to
 * end between the SDK and the hub. It tunnels to nothing else: it is not an open proxy.
 */
public final class ConnectProxy {
    private static final Logger LOG = Logger.getLogger(ConnectProxy.class.getName());
    private static final int MAX_HEADER_BYTES = 8192;

    private final Vertx vertx;
    private final Set<String> hubHosts;
    private final String targetHost;
    private final int targetPort;
    private NetServer server;
    private NetClient client;

    public ConnectProxy(Vertx vertx, Set<String> hubHosts, String targetHost, int targetPort) {
        this.vertx = vertx;
        this.hubHosts = hubHosts;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    public Future<Integer> listen(String host, int port) {
        client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000));
        server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true));
        server.connectHandler(this::onConnection);
        return server.listen().map(NetServer::actualPort);
    }

    public Future<Void> close() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.compose(v -> client == null ? Future.succeededFuture() : client.close());
    }

    private void onConnection(NetSocket socket) {
        Buffer header = Buffer.buffer();
        socket.handler(chunk -> {
            header.appendBuffer(chunk);
            String text = header.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                if (header.length() > MAX_HEADER_BYTES) {
                    refuse(socket, "431 Request Header Fields Too Large");
                }
                return;
            }
            socket.handler(null);
            socket.pause();
            Buffer rest = header.getBuffer(end + 4, header.length());
            tunnel(socket, text.substring(0, end), rest);
        });
        socket.exceptionHandler(e -> socket.close());
    }

    private void tunnel(NetSocket socket, String requestHead, Buffer rest) {
        String requestLine = requestHead.lines().findFirst().orElse("");
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[0].equals("CONNECT")) {
            refuse(socket, "405 Method Not Allowed");
            return;
        }
        String authority = parts[1].toLowerCase(Locale.ROOT);
        int colon = authority.lastIndexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        String port = colon < 0 ? "443" : authority.substring(colon + 1);
        if (!hubHosts.contains(host) || !port.equals("443")) {
            LOG.info("refused to tunnel to " + authority + ": this proxy only reaches the local hub on port 443");
            refuse(socket, "403 Forbidden");
            return;
        }
        client.connect(targetPort, targetHost).onComplete(ar -> {
            if (ar.failed()) {
                refuse(socket, "502 Bad Gateway");
                return;
            }
            NetSocket upstream = ar.result();
            upstream.setWriteQueueMaxSize(256 * 1024);
            socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
            if (rest.length() > 0) {
                upstream.write(rest);
            }
            socket.pipeTo(upstream);
            upstream.pipeTo(socket);
        });
    }

    private static void refuse(NetSocket socket, String status) {
        socket.write("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .onComplete(v -> socket.close());
        LOG.log(Level.FINE, "proxy answered " + status);
    }
}
