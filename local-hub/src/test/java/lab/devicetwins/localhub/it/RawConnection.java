package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.sdk.ServiceRestClient;

/**
 * A client that talks raw bytes to the hub's HTTPS port or its CONNECT proxy, so it can do what no SDK does: connect
 * and say nothing, send a request a byte at a time, stop in the middle of a body.
 */
final class RawConnection implements AutoCloseable {
    /**
     * Far above the 1 s timeouts the tests configure, and below every default, Vert.x's own 10 s TLS handshake timeout
     * included, so a connection closed within it was closed by the limit a test configured.
     */
    static final Duration CLOSE_BOUND = Duration.ofSeconds(8);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private CompletableFuture<Void> ended;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) CLOSE_BOUND.plusSeconds(5).toMillis());
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A plain TCP connection that has sent nothing. */
    static RawConnection tcp(String host, int port) throws IOException {
        return new RawConnection(new Socket(host, port));
    }

    /** A connection to the HTTPS port, its TLS handshake done. */
    static RawConnection tls(LocalHub hub) throws IOException {
        SSLSocket tls = (SSLSocket) hub.clientSslContext().getSocketFactory().createSocket(hub.hostName(), hub.httpsPort());
        tls.startHandshake();
        return new RawConnection(tls);
    }

    /** A connection to the CONNECT proxy that has sent nothing. */
    static RawConnection proxy(LocalHub hub) throws IOException {
        return new RawConnection(new Socket(hub.hostName(), hub.proxyAddress().orElseThrow().getPort()));
    }

    /** A tunnel through the CONNECT proxy to the HTTPS port, its TLS handshake done. */
    static RawConnection tunnel(LocalHub hub) throws IOException {
        Socket plain = new Socket(hub.hostName(), hub.proxyAddress().orElseThrow().getPort());
        RawConnection proxy = new RawConnection(plain);
        proxy.send("CONNECT " + hub.hostName() + ":443 HTTP/1.1\r\nHost: " + hub.hostName() + ":443\r\n\r\n");
        String status = proxy.readResponse();
        if (!status.startsWith("HTTP/1.1 200")) {
            plain.close();
            throw new IOException("the proxy answered " + status);
        }
        SSLSocket tls = (SSLSocket) hub.clientSslContext().getSocketFactory()
                .createSocket(plain, hub.hostName(), 443, true);
        tls.startHandshake();
        return new RawConnection(tls);
    }

    /** A complete {@code GET /twins/{deviceId}} signed with the owner policy. */
    /**
     * Sends {@code request} again and again, 100 ms apart, for {@code duration}, asserting each answer is a 200;
     * returns how many were served.
     */
    int keepAsking(String request, Duration duration) throws IOException, InterruptedException {
        long until = System.nanoTime() + duration.toNanos();
        int served = 0;
        while (System.nanoTime() < until) {
            send(request);
            assertThat(readResponse()).as("request %d", served).startsWith("HTTP/1.1 200");
            served++;
            Thread.sleep(100);
        }
        return served;
    }

    static String twinRequest(LocalHub hub, String deviceId) {
        return "GET /twins/" + deviceId + "?api-version=2021-04-12 HTTP/1.1\r\nHost: " + hub.hostName()
                + "\r\nAuthorization: " + new ServiceRestClient(hub).tokenFor("iothubowner") + "\r\n\r\n";
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one response: returns its status line and skips its headers and its {@code Content-Length} body. */
    String readResponse() throws IOException {
        String status = readLine();
        int length = 0;
        for (String header = readLine(); !header.isEmpty(); header = readLine()) {
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(header.substring(colon + 1).trim());
            }
        }
        if (in.readNBytes(length).length != length) {
            throw new IOException("the response body ended early");
        }
        return status;
    }

    /**
     * Sends {@code text} one byte per {@code pause}, for as long as the hub keeps the connection, and fails the test
     * when the hub still keeps it after {@link #CLOSE_BOUND} (or the text ran out first).
     */
    void dribbleUntilClosedByHub(String text, Duration pause) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> closed = ended();
        await().atMost(CLOSE_BOUND).pollDelay(Duration.ZERO).pollInterval(pause).until(() -> {
            if (!closed.isDone() && sent.get() < bytes.length) {
                writeQuietly(bytes[sent.getAndIncrement()]);
            }
            return closed.isDone();
        });
    }

    /** Fails the test when the hub has not closed the connection within {@link #CLOSE_BOUND}. */
    void awaitClosedByHub() {
        CompletableFuture<Void> closed = ended();
        await().atMost(CLOSE_BOUND).until(closed::isDone);
    }

    /** Completes when the hub ends the connection; whatever it still sends before that is read and dropped. */
    private synchronized CompletableFuture<Void> ended() {
        if (ended == null) {
            // a thread of its own: the common pool may have a single thread on a small machine, and this one blocks
            ended = CompletableFuture.runAsync(() -> {
                byte[] buffer = new byte[4096];
                try {
                    while (in.read(buffer) >= 0) {
                        // not what these tests look at
                    }
                } catch (IOException e) {
                    // a reset: closed as well (or the test closed the socket itself)
                }
            }, task -> {
                Thread reader = new Thread(task, "raw-connection-reader");
                reader.setDaemon(true);
                reader.start();
            });
        }
        return ended;
    }

    private void writeQuietly(byte b) {
        try {
            out.write(b);
            out.flush();
        } catch (IOException e) {
            // the hub closed the connection: the reader sees it too
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        if (c < 0 && line.size() == 0) {
            throw new IOException("the connection ended");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
