package lab.devicetwins.localhub.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import lab.devicetwins.localhub.auth.AccessRight;
import lab.devicetwins.localhub.auth.Authenticator;
import lab.devicetwins.localhub.core.IdentityRegistry;
import lab.devicetwins.localhub.core.TwinOperations;
import lab.devicetwins.localhub.errors.ErrorBody;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.query.QueryPage;
import lab.devicetwins.localhub.query.TwinQueryEngine;
import lab.devicetwins.localhub.registry.DeviceJson;
import lab.devicetwins.localhub.store.SqliteHubStore;
import lab.devicetwins.localhub.twin.ServiceTwinWrite;

/**
 * The service side of the hub: the REST API the service SDKs call over HTTPS (registry, twins, queries). Maps routes
 * to core operations and core errors to IoT Hub's status codes and error bodies.
 */
public final class HttpsServiceEndpoint {
    private static final Logger LOG = Logger.getLogger(HttpsServiceEndpoint.class.getName());
    /** Far above any valid twin or device body; larger requests are refused before they are read. */
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final Vertx vertx;
    private final Authenticator authenticator;
    private final IdentityRegistry registry;
    private final TwinOperations twins;
    private final SqliteHubStore store;
    private final TwinQueryEngine queries = new TwinQueryEngine();
    private HttpServer server;

    public HttpsServiceEndpoint(Vertx vertx, Authenticator authenticator, IdentityRegistry registry,
                                TwinOperations twins, SqliteHubStore store) {
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.registry = registry;
        this.twins = twins;
        this.store = store;
    }

    public Future<Integer> listen(String host, int port, KeyCertOptions serverCertificate, ConnectionLimits limits) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setSsl(true)
                .setKeyCertOptions(serverCertificate)
                .setTcpNoDelay(true)
                .setMaxInitialLineLength(16 * 1024);
        ConnectionGuard guard = new ConnectionGuard(vertx, "HTTPS", limits);
        server = vertx.createHttpServer(guard.applyTo(options));
        guard.watch(server, this::onRequest);
        return server.listen().map(HttpServer::actualPort);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void onRequest(HttpServerRequest request) {
        Context context = Vertx.currentContext();
        String contentLength = request.getHeader("Content-Length");
        if (contentLength != null) {
            try {
                if (Long.parseLong(contentLength.trim()) > MAX_BODY_BYTES) {
                    fail(request, new HubException(HubErrorCode.MESSAGE_TOO_LARGE,
                            "the request body is larger than " + MAX_BODY_BYTES + " bytes"));
                    return;
                }
            } catch (NumberFormatException e) {
                fail(request, new HubException(HubErrorCode.ARGUMENT_INVALID, "Content-Length is not a number"));
                return;
            }
        }
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                tooLarge[0] = true;
                fail(request, new HubException(HubErrorCode.MESSAGE_TOO_LARGE,
                        "the request body is larger than " + MAX_BODY_BYTES + " bytes"));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (tooLarge[0]) {
                return;
            }
            CompletableFuture<Reply> reply;
            try {
                reply = route(request, body);
            } catch (HubException e) {
                reply = CompletableFuture.failedFuture(e);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "request " + request.method() + " " + request.path() + " failed", e);
                reply = CompletableFuture.failedFuture(new HubException(HubErrorCode.SERVER_ERROR,
                        "the local hub failed to handle the request: " + e));
            }
            reply.whenComplete((r, failure) -> context.runOnContext(x -> {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof HubException he) {
                        fail(request, he);
                    } else {
                        LOG.log(Level.WARNING, "request " + request.method() + " " + request.path() + " failed", cause);
                        fail(request, new HubException(HubErrorCode.SERVER_ERROR, String.valueOf(cause.getMessage())));
                    }
                } else {
                    send(request, r);
                }
            }));
        });
        request.exceptionHandler(e -> LOG.log(Level.FINE, "HTTPS request failed: " + e.getMessage()));
    }

    /** A successful answer: status, optional JSON body, optional ETag and continuation headers. */
    record Reply(int status, JsonElement body, String etag, String continuation, String itemType) {
        static Reply json(JsonElement body) {
            return new Reply(200, body, null, null, null);
        }
    }

    private CompletableFuture<Reply> route(HttpServerRequest request, Buffer body) {
        List<String> segments = segments(request.path());
        HttpMethod method = effectiveMethod(request);
        String auth = request.getHeader("Authorization");
        String ifMatch = request.getHeader("If-Match");

        if (segments.size() == 2 && segments.get(0).equals("devices") && segments.get(1).equals("query")) {
            requireMethod(method, HttpMethod.POST);
            authenticator.authorizeService(auth, AccessRight.SERVICE_CONNECT);
            return query(request, body);
        }
        if (segments.size() == 2 && segments.get(0).equals("devices")) {
            String deviceId = segments.get(1);
            if (method == HttpMethod.GET) {
                authenticator.authorizeService(auth, AccessRight.REGISTRY_READ);
                var device = registry.require(deviceId);
                return CompletableFuture.completedFuture(new Reply(200, DeviceJson.toJson(device), device.etag(), null, null));
            }
            if (method == HttpMethod.PUT) {
                authenticator.authorizeService(auth, AccessRight.REGISTRY_WRITE);
                var deviceRequest = DeviceJson.parseRequest(parseJson(body), deviceId);
                var result = ifMatch == null || ifMatch.isBlank()
                        ? registry.create(deviceRequest) : registry.update(deviceRequest, ifMatch);
                return result.thenApply(d -> new Reply(200, DeviceJson.toJson(d), d.etag(), null, null));
            }
            if (method == HttpMethod.DELETE) {
                authenticator.authorizeService(auth, AccessRight.REGISTRY_WRITE);
                return registry.delete(deviceId, ifMatch).thenApply(x -> new Reply(204, null, null, null, null));
            }
            throw methodNotAllowed(method);
        }
        if (segments.size() == 1 && segments.get(0).equals("devices")) {
            requireMethod(method, HttpMethod.GET);
            authenticator.authorizeService(auth, AccessRight.REGISTRY_READ);
            JsonArray all = new JsonArray();
            registry.list().forEach(d -> all.add(DeviceJson.toJson(d)));
            return CompletableFuture.completedFuture(Reply.json(all));
        }
        if (segments.size() == 2 && segments.get(0).equals("statistics") && segments.get(1).equals("devices")) {
            requireMethod(method, HttpMethod.GET);
            authenticator.authorizeService(auth, AccessRight.REGISTRY_READ);
            var stats = registry.statistics();
            JsonObject json = new JsonObject();
            json.addProperty("totalDeviceCount", stats.total());
            json.addProperty("enabledDeviceCount", stats.enabled());
            // the Java service SDK reads this misspelt name; IoT Hub sends only the one above
            json.addProperty("enableDeviceCount", stats.enabled());
            json.addProperty("disabledDeviceCount", stats.disabled());
            return CompletableFuture.completedFuture(Reply.json(json));
        }
        if (segments.size() == 2 && segments.get(0).equals("twins")) {
            String deviceId = segments.get(1);
            authenticator.authorizeService(auth, AccessRight.SERVICE_CONNECT);
            if (method == HttpMethod.GET) {
                JsonObject view = twins.serviceView(deviceId);
                return CompletableFuture.completedFuture(new Reply(200, view, view.get("etag").getAsString(), null, null));
            }
            if (method == HttpMethod.PATCH || method == HttpMethod.PUT) {
                ServiceTwinWrite twinRequest = ServiceTwinWrite.fromTwinJson(parseJson(body));
                var result = method == HttpMethod.PATCH
                        ? twins.patch(deviceId, twinRequest.tags(), twinRequest.desired(), ifMatch)
                        : twins.replace(deviceId, twinRequest.tags(), twinRequest.desired(), ifMatch);
                return result.thenApply(view -> new Reply(200, view, view.get("etag").getAsString(), null, null));
            }
            throw methodNotAllowed(method);
        }
        if (isKnownButNotImplemented(segments)) {
            throw new HubException(HubErrorCode.NOT_IMPLEMENTED, request.method() + " " + request.path()
                    + " is an IoT Hub API the local hub does not implement (see docs/differences-from-iot-hub.md)");
        }
        throw new HubException(HubErrorCode.ROUTE_NOT_FOUND, "no IoT Hub API at " + request.method() + " " + request.path());
    }

    private CompletableFuture<Reply> query(HttpServerRequest request, Buffer body) {
        JsonElement json = parseJson(body);
        if (!json.isJsonObject() || !json.getAsJsonObject().has("query")
                || !json.getAsJsonObject().get("query").isJsonPrimitive()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the body must be {\"query\":\"SELECT … FROM devices …\"}");
        }
        String text = json.getAsJsonObject().get("query").getAsString();
        Integer maxItems = null;
        String maxHeader = request.getHeader("x-ms-max-item-count");
        if (maxHeader != null && !maxHeader.isBlank()) {
            try {
                maxItems = Integer.parseInt(maxHeader.trim());
            } catch (NumberFormatException e) {
                throw new HubException(HubErrorCode.ARGUMENT_INVALID, "x-ms-max-item-count must be a whole number");
            }
        }
        String continuation = request.getHeader("x-ms-continuation");
        Integer pageSize = maxItems;
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        vertx.<QueryPage>executeBlocking(() -> store.read(c -> queries.execute(c, text, pageSize,
                        continuation == null || continuation.isEmpty() ? null : continuation)), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        reply.completeExceptionally(ar.cause());
                    } else {
                        QueryPage page = ar.result();
                        JsonArray items = new JsonArray();
                        page.items().forEach(items::add);
                        reply.complete(new Reply(200, items, null, page.continuationToken().orElse(null), page.itemType()));
                    }
                });
        return reply;
    }

    private static boolean isKnownButNotImplemented(List<String> segments) {
        if (segments.isEmpty()) {
            return false;
        }
        String first = segments.get(0);
        return (first.equals("devices") && segments.size() > 2)       // modules, messages, bulk
                || (first.equals("twins") && segments.size() > 2)     // module twins, direct methods
                || first.equals("jobs") || first.equals("configurations") || first.equals("digitaltwins")
                || first.equals("messages") || first.equals("statistics") || first.equals("devicesStatistics");
    }

    /** The SDKs send PATCH as POST with {@code X-HTTP-Method-Override: PATCH}; others send a real PATCH. */
    private static HttpMethod effectiveMethod(HttpServerRequest request) {
        String override = request.getHeader("X-HTTP-Method-Override");
        if (request.method() == HttpMethod.POST && override != null && !override.isBlank()) {
            return HttpMethod.valueOf(override.trim().toUpperCase(java.util.Locale.ROOT));
        }
        return request.method();
    }

    private static void requireMethod(HttpMethod actual, HttpMethod expected) {
        if (actual != expected) {
            throw methodNotAllowed(actual);
        }
    }

    private static HubException methodNotAllowed(HttpMethod method) {
        return new HubException(HubErrorCode.METHOD_NOT_ALLOWED, "method " + method + " is not allowed on this resource");
    }

    /**
     * Path segments, URL-decoded one by one. The Node.js SDKs encode device ids; the Java service SDK concatenates them
     * raw, so {@code +} stays a plus and a {@code %} that starts no valid escape ({@code 50%off}) is taken literally.
     */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String raw : path.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(decodeSegment(raw));
            }
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

    private static JsonElement parseJson(Buffer body) {
        if (body.length() == 0) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the request has no body; a JSON body is required");
        }
        try {
            return JsonParser.parseString(body.toString(StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the request body is not valid JSON: " + e.getMessage());
        }
    }

    private static void send(HttpServerRequest request, Reply reply) {
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
        if (reply.body() == null) {
            response.end();
        } else {
            response.putHeader("Content-Type", "application/json; charset=utf-8").end(reply.body().toString());
        }
    }

    private static void fail(HttpServerRequest request, HubException e) {
        if (request.response().ended()) {
            return;
        }
        request.response()
                .setStatusCode(e.errorCode().status())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("iothub-errorcode", e.errorCode().hubName())
                .end(ErrorBody.nested(e.errorCode(), e.getMessage()).toString());
    }
}
