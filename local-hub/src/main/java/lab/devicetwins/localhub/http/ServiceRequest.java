package lab.devicetwins.localhub.http;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A service request as the handlers see it: the effective method (after {@code X-HTTP-Method-Override}), the
 * URL-decoded path segments, the values of the route's path parameters, the headers handlers read, the query string's
 * parameters, and the body.
 */
record ServiceRequest(HttpMethod method, List<String> segments, Map<String, String> params,
                      Function<String, String> headers, Function<String, String> queryParameters, byte[] body) {

    ServiceRequest {
        segments = List.copyOf(segments);
        params = Map.copyOf(params);
    }

    /** A path parameter of the matched route, e.g. {@code id} of {@code /devices/{id}}. */
    String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("the route declares no parameter '" + name + "'");
        }
        return value;
    }

    /** A path parameter some of a handler's routes declare and others do not; null when this route has none. */
    String optionalParam(String name) {
        return params.get(name);
    }

    /** A parameter of the query string ({@code ?jobType=…}), URL-decoded, or null when absent. */
    String queryParameter(String name) {
        return queryParameters.apply(name);
    }

    /** A request header, or null when absent. */
    String header(String name) {
        return headers.apply(name);
    }
}
