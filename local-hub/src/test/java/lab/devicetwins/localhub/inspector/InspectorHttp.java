package lab.devicetwins.localhub.inspector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Plain HTTP/1.1 to the inspector over a socket, with any {@code Host} and {@code Origin}: what a browser on another
 * site, or a DNS-rebinding page, would send (the JDK's HTTP client does not let a caller choose {@code Host}).
 */
final class InspectorHttp {
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final URI base;
    private final String secret;

    /** @param url the inspector's URL as the hub prints it */
    InspectorHttp(String url) {
        URI uri = URI.create(url);
        this.base = URI.create("http://" + uri.getHost() + ":" + uri.getPort());
        this.secret = uri.getQuery().substring("token=".length());
    }

    String secret() {
        return secret;
    }

    String ownHost() {
        return base.getHost() + ":" + base.getPort();
    }

    String ownOrigin() {
        return "http://" + ownHost();
    }

    int port() {
        return base.getPort();
    }

    /** A request with the hub's secret as a cookie, the inspector's own Host and (for writes) its Origin. */
    Response send(String method, String path, String body) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", ownHost());
        headers.put("Cookie", "localhub_inspector_" + port() + "=" + secret);
        if (!method.equals("GET")) {
            headers.put("Origin", ownOrigin());
        }
        return send(method, path, headers, body);
    }

    /** A request with exactly these headers (and Content-Length, Connection: close). */
    Response send(String method, String path, Map<String, String> headers, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            return read(socket.getInputStream(), method.equals("GET") && path.startsWith("/api/events"));
        }
    }

    private static Response read(InputStream in, boolean stream) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        if (stream && status == 200) {
            return new Response(status, headers, ""); // an event stream does not end
        }
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
