package lab.devicetwins.localhub.http;

import java.util.Objects;
import java.util.function.ToIntFunction;
import lab.devicetwins.localhub.realism.Operation;

/**
 * The IoT Hub throttle a route counts against, and what one request costs there: one operation, or as many as its
 * body says (a bulk registry request counts each identity, a direct method its 4 KB units of request).
 */
record Meter(Operation operation, ToIntFunction<ServiceRequest> cost) {

    Meter {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(cost, "cost");
    }

    /** One operation per request. */
    static Meter one(Operation operation) {
        return new Meter(operation, request -> 1);
    }

    /** What the request costs; at least one. */
    int costOf(ServiceRequest request) {
        return Math.max(1, cost.applyAsInt(request));
    }
}
