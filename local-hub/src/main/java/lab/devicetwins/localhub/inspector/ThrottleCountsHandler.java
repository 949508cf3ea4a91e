package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import lab.devicetwins.localhub.realism.Operation;
import lab.devicetwins.localhub.realism.Throttles;

/**
 * How many operations each throttle admitted at once, held (traffic shaping) and refused with 429 since the hub
 * started, read when the page asks: the throttles count anyway, so watching them costs the hub nothing. Empty for the
 * {@code local} profile.
 */
final class ThrottleCountsHandler {
    private final Supplier<Map<Operation, Throttles.Counts>> counts;

    ThrottleCountsHandler(Supplier<Map<Operation, Throttles.Counts>> counts) {
        this.counts = counts;
    }

    /** {@code {"operations": [{"operation": "queries", "admitted": 20, "shaped": 0, "throttled": 5}, …]}}. */
    CompletableFuture<InspectorReply> get(InspectorRequest request) {
        JsonArray operations = new JsonArray();
        counts.get().forEach((operation, c) -> {
            JsonObject row = new JsonObject();
            row.addProperty("operation", operation.shortName());
            row.addProperty("admitted", c.admitted());
            row.addProperty("shaped", c.shaped());
            row.addProperty("throttled", c.throttled());
            operations.add(row);
        });
        JsonObject body = new JsonObject();
        body.add("operations", operations);
        return CompletableFuture.completedFuture(InspectorReply.ok(body));
    }
}
