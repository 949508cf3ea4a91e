package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/**
 * The inspector's HTTP side: every request passes {@link InspectorAccess} first (Host, Origin, secret), then goes to
 * the page's files, the event stream or the one API handler its method and path name. Handlers only see
 * {@link InspectorRequest}s; refusals of the hub come back as its status and error code, never a stack trace.
 */
final class InspectorServer {
    private static final Logger LOG = Logger.getLogger(InspectorServer.class.getName());
    /** Twin edits are the largest bodies: tags and desired, 8 KB + 32 KB at the hub's limits, with room for JSON. */
    static final int MAX_BODY_BYTES = 256 * 1024;
    /** The page loads nothing from anywhere else, and nothing may frame it. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Vertx vertx;
    private final StaticFiles files = new StaticFiles();
    private final Map<String, InspectorHandler> routes;
    private final LiveEvents events;
    private volatile InspectorAccess access;
    private HttpServer server;

    InspectorServer(Vertx vertx, Map<String, InspectorHandler> routes, LiveEvents events) {
        this.vertx = vertx;
        this.routes = Map.copyOf(routes);
        this.events = events;
    }

    /** Listens (on the caller's context) and completes with the bound port; {@code access} is made for that port. */
    Future<Integer> listen(String host, int port, IntFunction<InspectorAccess> accessForPort) {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                .setMaxInitialLineLength(8192).setMaxHeaderSize(16384));
        server.requestHandler(this::onRequest);
        return server.listen().map(s -> {
            access = accessForPort.apply(s.actualPort());
            return s.actualPort();
        });
    }

    Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void onRequest(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        response.putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("Cache-Control", "no-store");
        InspectorAccess current = access;
        if (current == null) {
            plain(response, 503, "the inspector is starting");
            return;
        }
        String path = request.path();
        boolean reading = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
        boolean stream = path.equals("/api/events");
        String token = request.getParam("token");
        String secret = token != null ? token : current.secretFromCookies(request.getHeader(HttpHeaders.COOKIE));
        InspectorAccess.Decision decision = current.decide(request.getHeader(HttpHeaders.HOST),
                request.getHeader(HttpHeaders.ORIGIN), secret, !reading || stream, !reading);
        if (!decision.allowed()) {
            plain(response, decision.status(), decision.reason());
            return;
        }
        if (reading && path.equals("/") && token != null) {
            // the secret moves into a cookie the page's scripts cannot read, and leaves the address bar
            response.putHeader(HttpHeaders.SET_COOKIE, current.setCookie()).putHeader(HttpHeaders.LOCATION, "/")
                    .setStatusCode(303).end();
            return;
        }
        if (reading && (path.equals("/") || path.startsWith("/assets/"))) {
            String name = path.equals("/") ? "index.html" : path.substring("/assets/".length());
            files.get(name).ifPresentOrElse(
                    file -> response.putHeader(HttpHeaders.CONTENT_TYPE, file.contentType()).end(file.content()),
                    () -> plain(response, 404, "no such file"));
            return;
        }
        if (stream && request.method() == HttpMethod.GET) {
            events.open(response);
            return;
        }
        InspectorHandler handler = routes.get(request.method().name() + " " + path);
        if (handler == null) {
            json(response, InspectorReply.error(new HubException(HubErrorCode.ARGUMENT_INVALID,
                    "the inspector has no " + request.method().name() + " " + path)).body(), 404);
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && length.length() > 9) {
            plain(response, 413, "the request body is too large");
            return;
        }
        Map<String, String> params = new HashMap<>();
        request.params().forEach(e -> params.putIfAbsent(e.getKey(), e.getValue()));
        params.remove("token");
        String ifMatch = request.getHeader(HttpHeaders.IF_MATCH);
        request.body().onComplete(body -> {
            if (body.failed()) {
                return;
            }
            Buffer bytes = body.result();
            if (bytes.length() > MAX_BODY_BYTES) {
                json(response, InspectorReply.error(new HubException(HubErrorCode.ARGUMENT_INVALID,
                        "the request body is over " + MAX_BODY_BYTES + " bytes")).body(), 413);
                return;
            }
            InspectorRequest call = new InspectorRequest(request.method().name(), path, params, bytes.getBytes(), ifMatch);
            CompletableFuture<InspectorReply> reply;
            try {
                reply = handler.handle(call);
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((answer, failure) -> {
                InspectorReply sent = failure == null ? answer : failed(failure);
                json(response, sent.body(), sent.status());
            });
        });
    }

    private static InspectorReply failed(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HubException e) {
            return InspectorReply.error(e);
        }
        LOG.log(Level.WARNING, "an inspector request failed", cause);
        JsonObject body = new JsonObject();
        JsonObject error = new JsonObject();
        error.addProperty("message", "the hub could not do this; its log says why");
        body.add("error", error);
        return new InspectorReply(500, body);
    }

    private static void json(HttpServerResponse response, JsonElement body, int status) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status);
        if (status == 204) {
            response.end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8").end(body.toString());
    }

    private static void plain(HttpServerResponse response, int status, String text) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(status + " " + text + "\n");
    }
}
