package lab.devicetwins.localhub.http;

import static io.vertx.core.http.HttpMethod.POST;
import static lab.devicetwins.localhub.auth.AccessRight.SERVICE_CONNECT;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import lab.devicetwins.localhub.core.TwinQueries;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.query.QueryPage;
import lab.devicetwins.localhub.realism.Operation;

/**
 * Twin queries over REST. IoT Hub lists "run queries" under ServiceConnect. The route acts on the resource
 * {@code devices/query}: only a token for the whole hub, for {@code devices} or for {@code devices/query} may run
 * one, since a query can return any twin. Queries run on a worker thread: a scan must not hold up the event loop.
 */
final class QueryApi {
    private final Vertx vertx;
    private final TwinQueries queries;

    QueryApi(Vertx vertx, TwinQueries queries) {
        this.vertx = vertx;
        this.queries = queries;
    }

    List<ServiceRoute> routes() {
        return ServiceRoute.metered(Operation.QUERIES,
                List.of(ServiceRoute.of(POST, "/devices/query", SERVICE_CONNECT, "devices/query", this::query)));
    }

    private CompletableFuture<Reply> query(ServiceRequest request) {
        JsonElement json = RequestJson.parse(request.body());
        if (!json.isJsonObject() || !json.getAsJsonObject().has("query")
                || !json.getAsJsonObject().get("query").isJsonPrimitive()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the body must be {\"query\":\"SELECT … FROM devices …\"}");
        }
        String text = json.getAsJsonObject().get("query").getAsString();
        Integer pageSize = maxItemCount(request.header("x-ms-max-item-count"));
        String header = request.header("x-ms-continuation");
        String continuation = header == null || header.isEmpty() ? null : header;
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        vertx.<QueryPage>executeBlocking(() -> queries.page(text, pageSize, continuation), false).onComplete(ar -> {
            if (ar.failed()) {
                reply.completeExceptionally(ar.cause());
                return;
            }
            QueryPage page = ar.result();
            JsonArray items = new JsonArray();
            page.items().forEach(items::add);
            reply.complete(new Reply(200, items, null, page.continuationToken().orElse(null), page.itemType()));
        });
        return reply;
    }

    private static Integer maxItemCount(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(header.trim());
        } catch (NumberFormatException e) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "x-ms-max-item-count must be a whole number");
        }
    }
}
