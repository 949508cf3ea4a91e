package lab.devicetwins.localhub.http;

import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import lab.devicetwins.localhub.auth.AccessRight;
import lab.devicetwins.localhub.realism.Operation;

/**
 * One REST operation of the hub, declared as data: the method, the path template, the right the caller's policy
 * needs, the resource the caller's token must cover, and the handler. Routes the local hub does not implement are
 * declared too ({@link #notImplemented}), so whether a request gets 404, 405 or 501 follows from the table alone.
 *
 * <p>Templates are {@code /}-separated segments: a literal, a parameter ({@code {id}}), or a last {@code **}
 * matching any number of remaining segments. The resource template uses the same parameters, e.g. the twin route
 * {@code /twins/{id}} acts on the resource {@code devices/{id}}.
 *
 * <p>{@code meter} is the IoT Hub throttle the operation counts against (null: none, as for the hub's own APIs).
 */
record ServiceRoute(HttpMethod method, List<String> path, AccessRight right, List<String> resource, Handler handler,
                    Meter meter) {

    /** Does the work of a route once the caller is authorized. */
    @FunctionalInterface
    interface Handler {
        CompletableFuture<Reply> handle(ServiceRequest request);
    }

    private static final String WILDCARD = "**";
    /** Longer templates than this are not needed by any IoT Hub API (3^9 * 16 still fits an int). */
    private static final int MAX_SEGMENTS = 9;

    ServiceRoute {
        path = List.copyOf(path);
        resource = resource == null ? null : List.copyOf(resource);
    }

    static ServiceRoute of(HttpMethod method, String path, AccessRight right, String resource, Handler handler) {
        return new ServiceRoute(Objects.requireNonNull(method), split(path), Objects.requireNonNull(right),
                split(resource), Objects.requireNonNull(handler), null);
    }

    /** This route, counted against IoT Hub's throttle for {@code operation}, one per request. */
    ServiceRoute metered(Operation operation) {
        return metered(Meter.one(operation));
    }

    /** This route, counted against a throttle at a cost its request decides. */
    ServiceRoute metered(Meter meter) {
        return new ServiceRoute(method, path, right, resource, handler, Objects.requireNonNull(meter));
    }

    /** Every route of a group that has no meter of its own, counted against one throttle, one per request. */
    static List<ServiceRoute> metered(Operation operation, List<ServiceRoute> routes) {
        return metered(Meter.one(operation), routes);
    }

    /** Every route of a group that has no meter of its own, counted with {@code meter}. */
    static List<ServiceRoute> metered(Meter meter, List<ServiceRoute> routes) {
        return routes.stream().map(route -> route.meter() == null ? route.metered(meter) : route).toList();
    }

    /** An IoT Hub API the local hub answers with 501, for every method, whoever asks. */
    static ServiceRoute notImplemented(String path) {
        return new ServiceRoute(null, split(path), null, null, null, null);
    }

    /**
     * One operation of an IoT Hub API the local hub answers with 501, declared with its right and resource so that a
     * caller it would refuse hears 401 first, as it will once the operation is implemented.
     */
    static ServiceRoute notImplemented(HttpMethod method, String path, AccessRight right, String resource) {
        return new ServiceRoute(Objects.requireNonNull(method), split(path), Objects.requireNonNull(right),
                split(resource), null, null);
    }

    boolean implemented() {
        return handler != null;
    }

    /** Whether callers must be authorized for this route (every implemented one, and declared operations). */
    boolean authorized() {
        return right != null;
    }

    /** Whether the route answers this method; not-implemented routes answer every method. */
    boolean answers(HttpMethod requested) {
        return method == null || method.equals(requested);
    }

    /** The path parameters when the segments fit the template, else null. */
    Map<String, String> match(List<String> segments) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < path.size(); i++) {
            String part = path.get(i);
            if (part.equals(WILDCARD)) {
                return params;
            }
            if (i >= segments.size()) {
                return null;
            }
            if (isParameter(part)) {
                params.put(part.substring(1, part.length() - 1), segments.get(i));
            } else if (!part.equals(segments.get(i))) {
                return null;
            }
        }
        return segments.size() == path.size() ? params : null;
    }

    /**
     * How exactly the template names a path, for choosing between templates that fit the same one, segment by
     * segment from the left: a literal beats a parameter, which beats a wildcard or the end of the template.
     * {@code /devices/query} beats {@code /devices/{id}}, and {@code /devices/{id}/modules} beats
     * {@code /devices/{id}/{part}/**}.
     */
    int specificity() {
        if (path.size() > MAX_SEGMENTS) {
            throw new IllegalStateException("a route template has at most " + MAX_SEGMENTS + " segments");
        }
        int score = 0;
        for (int i = 0; i < MAX_SEGMENTS; i++) {
            String part = i < path.size() ? path.get(i) : WILDCARD;
            score = score * 3 + (part.equals(WILDCARD) ? 0 : isParameter(part) ? 1 : 2);
        }
        return score * 16 + path.size();
    }

    /** The resource segments of a matched request: the resource template with the parameters filled in. */
    List<String> resourceOf(Map<String, String> params) {
        List<String> segments = new ArrayList<>(resource.size());
        for (String part : resource) {
            segments.add(isParameter(part) ? params.get(part.substring(1, part.length() - 1)) : part);
        }
        return segments;
    }

    private static boolean isParameter(String part) {
        return part.startsWith("{") && part.endsWith("}");
    }

    private static List<String> split(String template) {
        List<String> parts = new ArrayList<>();
        for (String part : template.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    @Override
    public String toString() {
        return (method == null ? "*" : method.name()) + " /" + String.join("/", path);
    }
}
