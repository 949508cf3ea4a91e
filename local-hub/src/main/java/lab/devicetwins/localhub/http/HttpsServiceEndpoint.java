package lab.devicetwins.localhub.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.KeyCertOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import lab.devicetwins.localhub.auth.Authenticator;
import lab.devicetwins.localhub.auth.ServicePrincipal;
import lab.devicetwins.localhub.core.BulkRegistry;
import lab.devicetwins.localhub.core.CloudToDeviceMessages;
import lab.devicetwins.localhub.core.ConnectionFaults;
import lab.devicetwins.localhub.core.DirectMethods;
import lab.devicetwins.localhub.core.IdentityRegistry;
import lab.devicetwins.localhub.core.ScheduledJobs;
import lab.devicetwins.localhub.core.TwinOperations;
import lab.devicetwins.localhub.core.TwinQueries;
import lab.devicetwins.localhub.errors.ErrorBody;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.json.StrictJson;
import lab.devicetwins.localhub.log.RequestLog;
import lab.devicetwins.localhub.query.TwinQueryEngine;
import lab.devicetwins.localhub.realism.Admission;
import lab.devicetwins.localhub.realism.Operation;
import lab.devicetwins.localhub.realism.Throttles;
import lab.devicetwins.localhub.tls.DeferredClientCertificateTrust;

/**
 * The service side of the hub: the REST API the service SDKs call over HTTPS. Reads the request, finds its route in
 * the {@link RouteTable}, authorizes the caller against the route's right and resource before anything runs, then
 * hands the request to the route's handler and writes its reply or IoT Hub's error body.
 *
 * <p>The same port takes MQTT over WebSockets ({@link WebSocketUpgrade}): an accepted upgrade is handed to the
 * WebSocket handler given to {@link #listen}, every other request goes to the routes as before. For X.509 devices
 * over WebSockets the port asks for a client certificate without requiring one; REST clients send none.
 *
 * <p>A client's mistake is a 4xx with IoT Hub's error body; a 500 is only the hub's own fault, logged with a request
 * id that the body repeats. No body names a Java class or carries a stack trace.
 */
public final class HttpsServiceEndpoint {
    private static final Logger LOG = Logger.getLogger(HttpsServiceEndpoint.class.getName());
    /** Far above any valid twin or device body; larger requests are refused before they are read. */
    static final int MAX_BODY_BYTES = 256 * 1024;
    /** The methods {@code X-HTTP-Method-Override} may name. */
    private static final Set<String> OVERRIDABLE = Set.of("GET", "PUT", "PATCH", "DELETE", "POST");

    private final Vertx vertx;
    private final Authenticator authenticator;
    private final RouteTable routes;
    private final RequestLog requestLog;
    private final Throttles throttles;
    private HttpServer server;
    private Handler<ServerWebSocket> mqttWebSockets;

    public HttpsServiceEndpoint(Vertx vertx, Authenticator authenticator, IdentityRegistry registry,
                                TwinOperations twins, TwinQueries queries, DirectMethods methods,
                                ScheduledJobs jobs, ConnectionFaults faults, CloudToDeviceMessages cloudToDevice,
                                RequestLog requestLog, Throttles throttles) {
        this.vertx = vertx;
        this.throttles = throttles;
        this.authenticator = authenticator;
        this.requestLog = requestLog;
        this.routes = new RouteTable(List.of(
                new RegistryApi(registry, new BulkRegistry(registry, twins)).routes(),
                new TwinsApi(twins).routes(),
                new QueryApi(vertx, queries).routes(),
                new MethodsApi(methods).routes(),
                new ConnectionsApi(registry, faults).routes(),
                new CloudToDeviceApi(cloudToDevice).routes(),
                new JobsApi(jobs, TwinQueryEngine.MAX_PAGE_SIZE).routes(),
                UnimplementedApis.routes()));
    }

    /**
     * Binds the port; completes with the bound port. {@code mqttWebSockets} receives each accepted MQTT-over-WebSockets
     * connection, whose frames may be as large as {@code maxWebSocketFrameSize}.
     */
    public Future<Integer> listen(String host, int port, KeyCertOptions serverCertificate, ConnectionLimits limits,
                                  Handler<ServerWebSocket> mqttWebSockets, int maxWebSocketFrameSize) {
        this.mqttWebSockets = mqttWebSockets;
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setSsl(true)
                .setKeyCertOptions(serverCertificate)
                .setClientAuth(ClientAuth.REQUEST)
                .setTrustOptions(DeferredClientCertificateTrust.options())
                .setTcpNoDelay(true)
                .setMaxInitialLineLength(16 * 1024);
        WebSocketUpgrade.applyTo(options, maxWebSocketFrameSize);
        ConnectionGuard guard = new ConnectionGuard(vertx, "HTTPS", limits);
        server = vertx.createHttpServer(guard.applyTo(options));
        guard.watch(server, this::onRequest);
        return server.listen().map(HttpServer::actualPort);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    /** Collects the body (refusing more than {@link #MAX_BODY_BYTES}), then answers. */
    private void onRequest(HttpServerRequest request) {
        Exchange exchange = new Exchange(request, System.nanoTime());
        if (WebSocketUpgrade.requested(request)) {
            upgrade(exchange);
            return;
        }
        String contentLength = request.getHeader("Content-Length");
        if (contentLength != null) {
            try {
                if (Long.parseLong(contentLength.trim()) > MAX_BODY_BYTES) {
                    exchange.fail(tooLarge());
                    return;
                }
            } catch (NumberFormatException e) {
                exchange.fail(new HubException(HubErrorCode.ARGUMENT_INVALID, "Content-Length is not a number"));
                return;
            }
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (exchange.answered()) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                exchange.fail(tooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!exchange.answered()) {
                answer(exchange, body.getBytes());
            }
        });
        request.exceptionHandler(e -> LOG.log(Level.FINE, "HTTPS request failed: " + e.getMessage()));
    }

    /** An upgrade is refused with an error body, or becomes an MQTT connection; it never reaches a route. */
    private void upgrade(Exchange exchange) {
        HttpServerRequest request = exchange.request;
        HubException refused = WebSocketUpgrade.refusal(request);
        if (refused != null) {
            exchange.fail(refused);
            return;
        }
        request.toWebSocket().onComplete(upgraded -> {
            if (upgraded.failed()) {
                // Vert.x has answered the broken handshake itself (e.g. 400 without Sec-WebSocket-Key)
                LOG.fine(() -> "a WebSocket handshake failed: " + upgraded.cause().getMessage());
                exchange.log(400, HubErrorCode.ARGUMENT_INVALID.code(), "WebSocket handshake failed");
                return;
            }
            exchange.log(101, null, null);
            mqttWebSockets.handle(upgraded.result());
        });
    }

    private void answer(Exchange exchange, byte[] body) {
        Context context = Vertx.currentContext();
        CompletableFuture<Reply> reply;
        try {
            reply = dispatch(exchange, body);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((r, failure) -> context.runOnContext(x -> {
            if (failure == null) {
                exchange.send(r);
            } else {
                exchange.fail(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
        }));
    }

    /** Route, authorize, then run the handler: nothing a handler does happens for a caller the route refuses. */
    private CompletableFuture<Reply> dispatch(Exchange exchange, byte[] body) {
        HttpServerRequest request = exchange.request;
        HttpMethod method = effectiveMethod(request);
        List<String> segments = segments(request.path());
        RouteTable.Lookup lookup = routes.lookup(method, segments);
        if (lookup instanceof RouteTable.NotFound) {
            throw new HubException(HubErrorCode.ROUTE_NOT_FOUND, "no IoT Hub API at " + request.method() + " "
                    + request.path());
        }
        if (lookup instanceof RouteTable.MethodNotAllowed) {
            throw new HubException(HubErrorCode.METHOD_NOT_ALLOWED, "method " + method
                    + " is not allowed on this resource");
        }
        RouteTable.Found found = (RouteTable.Found) lookup;
        ServiceRoute route = found.route();
        if (route.authorized()) {
            List<String> authorization = request.headers().getAll("Authorization");
            if (authorization.size() > 1) {
                throw new HubException(HubErrorCode.IOT_HUB_UNAUTHORIZED_ACCESS, "The request has "
                        + authorization.size() + " Authorization headers; send exactly one SAS token.");
            }
            ServicePrincipal caller = authenticator.authorizeService(
                    authorization.isEmpty() ? null : authorization.get(0), route.right(), route.resourceOf(found.params()));
            exchange.caller = caller.policyName();
        }
        if (!route.implemented()) {
            throw new HubException(HubErrorCode.NOT_IMPLEMENTED, request.method() + " " + request.path()
                    + " is an IoT Hub API the local hub does not implement (see docs/differences-from-iot-hub.md)");
        }
        ServiceRequest serviceRequest = new ServiceRequest(method, segments, found.params(), request::getHeader,
                request::getParam, body);
        if (route.meter() == null || !throttles.active()) {
            return route.handler().handle(serviceRequest);
        }
        return metered(route, serviceRequest);
    }

    /**
     * Realistic mode: the route's throttle lets the request run now, after a delay (traffic shaping), or refuses it
     * with 429 ThrottlingException.
     */
    private CompletableFuture<Reply> metered(ServiceRoute route, ServiceRequest request) {
        Operation operation = route.meter().operation();
        Admission admission = throttles.admit(operation, route.meter().costOf(request));
        if (admission.throttled()) {
            throw new HubException(HubErrorCode.THROTTLING_EXCEPTION, throttles.throttledMessage(operation));
        }
        if (!admission.delayed()) {
            return route.handler().handle(request);
        }
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(admission.delayNanos()));
        vertx.setTimer(millis, t -> {
            try {
                route.handler().handle(request).whenComplete((r, failure) -> {
                    if (failure == null) {
                        reply.complete(r);
                    } else {
                        reply.completeExceptionally(failure);
                    }
                });
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
        });
        return reply;
    }

    /**
     * The SDKs send PATCH as POST with {@code X-HTTP-Method-Override: PATCH}; others send a real PATCH. The override
     * belongs on a POST only and must name an HTTP method, in any case; anything else is the client's mistake.
     */
    private static HttpMethod effectiveMethod(HttpServerRequest request) {
        List<String> overrides = request.headers().getAll("X-HTTP-Method-Override");
        if (overrides.isEmpty()) {
            return request.method();
        }
        if (request.method() != HttpMethod.POST) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "X-HTTP-Method-Override is read on POST only, not on "
                    + request.method());
        }
        String override = overrides.get(0).trim().toUpperCase(Locale.ROOT);
        if (overrides.size() > 1 || !OVERRIDABLE.contains(override)) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "X-HTTP-Method-Override must be one of "
                    + String.join(", ", OVERRIDABLE.stream().sorted().toList()) + ", given once");
        }
        return HttpMethod.valueOf(override);
    }

    /**
     * Path segments, URL-decoded one by one. The Node.js SDKs encode device ids; the Java service SDK concatenates them
     * raw, so {@code +} stays a plus and a {@code %} that starts no valid escape ({@code 50%off}) is taken literally.
     * A {@code .} or {@code ..} segment (also encoded) is refused: no path may name one resource through another.
     */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String raw : path.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            String segment = decodeSegment(raw);
            if (segment.equals(".") || segment.equals("..")) {
                throw new HubException(HubErrorCode.ARGUMENT_INVALID,
                        "the request path may not contain '.' or '..' segments");
            }
            segments.add(segment);
        }
        return segments;
    }

    private static String decodeSegment(String raw) {
        for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                    || Character.digit(raw.charAt(i + 2), 16) < 0) {
                return raw;
            }
        }
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static HubException tooLarge() {
        return new HubException(HubErrorCode.MESSAGE_TOO_LARGE,
                "the request body is larger than " + MAX_BODY_BYTES + " bytes");
    }

    /** One request and its answer: writes the response once, and its line in the request log. */
    private final class Exchange {
        private final HttpServerRequest request;
        private final long startNanos;
        private String caller;

        Exchange(HttpServerRequest request, long startNanos) {
            this.request = request;
            this.startNanos = startNanos;
        }

        boolean answered() {
            return request.response().ended();
        }

        void send(Reply reply) {
            if (answered()) {
                return;
            }
            String body;
            try {
                body = reply.body() == null ? null : StrictJson.requireWritable(reply.body()).toString();
            } catch (HubException notWritable) {
                fail(notWritable);
                return;
            }
            var response = request.response().setStatusCode(reply.status());
            if (reply.etag() != null) {
                response.putHeader("ETag", "\"" + reply.etag() + "\"");
            }
            if (reply.continuation() != null) {
                response.putHeader("x-ms-continuation", reply.continuation());
            }
            if (reply.itemType() != null) {
                response.putHeader("x-ms-item-type", reply.itemType());
            }
            if (body == null) {
                response.end();
            } else {
                response.putHeader("Content-Type", "application/json; charset=utf-8").end(body);
            }
            log(reply.status(), null, null);
        }

        void fail(Throwable failure) {
            if (answered()) {
                return;
            }
            HubException error;
            if (failure instanceof HubException hubException && hubException.errorCode() != HubErrorCode.SERVER_ERROR) {
                error = hubException;
            } else {
                // the hub's own fault: logged with an id the answer repeats, and no detail of it sent
                String requestId = UUID.randomUUID().toString();
                LOG.log(Level.WARNING, "request " + requestId + " (" + request.method() + " " + request.path()
                        + ") failed in the hub", failure);
                error = new HubException(HubErrorCode.SERVER_ERROR, "the local hub failed to handle the request "
                        + requestId + "; its log has the details");
            }
            request.response()
                    .setStatusCode(error.errorCode().status())
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .putHeader("iothub-errorcode", error.errorCode().hubName())
                    .end(ErrorBody.nested(error.errorCode(), error.getMessage()).toString());
            log(error.errorCode().status(), error.errorCode().code(), error.getMessage());
        }

        void log(int status, Integer errorCode, String reason) {
            if (requestLog.enabled()) {
                requestLog.https(request.method().name(), request.path(), status, errorCode,
                        (System.nanoTime() - startNanos) / 1_000_000, caller, reason);
            }
        }
    }
}
