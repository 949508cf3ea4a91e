package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.devicetwins.localhub.core.TwinQueries;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.query.QueryPage;

/**
 * The query console: one page of a twin query, run by the hub's own query service (so results, paging and errors
 * are those of {@code POST /devices/query}), on a worker thread as the REST API runs it. A syntax error comes back
 * with the hub's message and, separately, the line and column it names, for the page to point at.
 */
final class QueryConsoleHandler {
    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    private final Vertx vertx;
    private final TwinQueries queries;

    QueryConsoleHandler(Vertx vertx, TwinQueries queries) {
        this.vertx = vertx;
        this.queries = queries;
    }

    /** {@code {"query":"SELECT …","pageSize":n,"continuation":"…"}}: items, {@code continuation} when more follow. */
    CompletableFuture<InspectorReply> run(InspectorRequest request) {
        JsonObject body = request.object();
        JsonElement query = body.get("query");
        if (query == null || !query.isJsonPrimitive() || !query.getAsJsonPrimitive().isString()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the body must be {\"query\":\"SELECT … FROM devices …\"}");
        }
        Integer pageSize = body.has("pageSize") && !body.get("pageSize").isJsonNull() ? pageSize(body.get("pageSize")) : null;
        JsonElement token = body.get("continuation");
        String continuation = token == null || token.isJsonNull() || token.getAsString().isEmpty() ? null
                : token.getAsString();
        CompletableFuture<InspectorReply> reply = new CompletableFuture<>();
        vertx.<QueryPage>executeBlocking(() -> queries.page(query.getAsString(), pageSize, continuation), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        if (ar.cause() instanceof HubException e) {
                            reply.complete(error(e));
                        } else {
                            reply.completeExceptionally(ar.cause());
                        }
                        return;
                    }
                    QueryPage page = ar.result();
                    JsonObject result = new JsonObject();
                    JsonArray items = new JsonArray();
                    page.items().forEach(items::add);
                    result.add("items", items);
                    result.addProperty("itemType", page.itemType());
                    page.continuationToken().ifPresent(t -> result.addProperty("continuation", t));
                    reply.complete(InspectorReply.ok(result));
                });
        return reply;
    }

    private static Integer pageSize(JsonElement value) {
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            return value.getAsInt();
        }
        throw new HubException(HubErrorCode.ARGUMENT_INVALID, "pageSize must be a number");
    }

    /** The hub's error, with {@code line} and {@code column} when its message names them. */
    static InspectorReply error(HubException e) {
        InspectorReply reply = InspectorReply.error(e);
        Matcher position = POSITION.matcher(String.valueOf(e.getMessage()));
        if (position.find()) {
            JsonObject error = reply.body().getAsJsonObject().getAsJsonObject("error");
            error.addProperty("line", Integer.parseInt(position.group(1)));
            error.addProperty("column", Integer.parseInt(position.group(2)));
        }
        return reply;
    }
}
