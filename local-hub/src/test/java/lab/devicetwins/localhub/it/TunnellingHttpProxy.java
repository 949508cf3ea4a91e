package lab.devicetwins.localhub.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An ordinary HTTP proxy that knows nothing of the hub: it answers {@code CONNECT host:port} with 200 and copies
 * bytes both ways to that address, as a corporate proxy would. It records the request heads it was sent.
 */
final class TunnellingHttpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> requestHeads = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    TunnellingHttpProxy(String host) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName(host));
        Thread acceptor = new Thread(this::acceptLoop, "test-http-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    List<String> requestHeads() {
        return requestHeads;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread tunnel = new Thread(() -> tunnel(client), "test-http-proxy-tunnel");
                tunnel.setDaemon(true);
                tunnel.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try {
            String head = readHead(client.getInputStream());
            requestHeads.add(head);
            String[] requestLine = head.lines().findFirst().orElse("").split(" ");
            if (requestLine.length != 3 || !requestLine[0].equals("CONNECT")) {
                reply(client, "405 Method Not Allowed");
                client.close();
                return;
            }
            int colon = requestLine[1].lastIndexOf(':');
            Socket upstream = new Socket(requestLine[1].substring(0, colon),
                    Integer.parseInt(requestLine[1].substring(colon + 1)));
            sockets.add(upstream);
            reply(client, "200 Connection established");
            Thread back = new Thread(() -> copy(upstream, client), "test-http-proxy-back");
            back.setDaemon(true);
            back.start();
            copy(client, upstream);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private static void reply(Socket client, String status) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 " + status + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client left before the end of its request head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side went away; both are closed below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(TunnellingHttpProxy::closeQuietly);
    }
}
