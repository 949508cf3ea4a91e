package lab.devicetwins.localhub.http;

import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Every REST route of the hub, and the one rule that picks a route for a request: among the templates that fit the
 * path, the most specific ones decide; if one of them answers the method it is chosen, else the path exists but the
 * method does not (405); a path no template fits is no IoT Hub API (404).
 */
final class RouteTable {

    /** What the table says about a request. */
    sealed interface Lookup {
    }

    /** The route to run, with the request's path parameters. */
    record Found(ServiceRoute route, Map<String, String> params) implements Lookup {
    }

    /** The path names a resource, but not for this method. */
    record MethodNotAllowed() implements Lookup {
    }

    /** No IoT Hub API has this path. */
    record NotFound() implements Lookup {
    }

    private final List<ServiceRoute> routes;

    RouteTable(Collection<List<ServiceRoute>> groups) {
        List<ServiceRoute> all = new ArrayList<>();
        groups.forEach(all::addAll);
        all.sort(Comparator.comparingInt(ServiceRoute::specificity).reversed());
        this.routes = List.copyOf(all);
    }

    Lookup lookup(HttpMethod method, List<String> segments) {
        Integer best = null;
        for (ServiceRoute route : routes) {
            if (best != null && route.specificity() < best) {
                break;
            }
            Map<String, String> params = route.match(segments);
            if (params == null) {
                continue;
            }
            best = route.specificity();
            if (route.answers(method)) {
                return new Found(route, params);
            }
        }
        return best == null ? new NotFound() : new MethodNotAllowed();
    }

    List<ServiceRoute> routes() {
        return routes;
    }
}
