package lab.devicetwins.localhub.inspector;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import lab.devicetwins.localhub.core.ConnectionFaults;
import lab.devicetwins.localhub.core.DeviceConnections;
import lab.devicetwins.localhub.core.IdentityRegistry;
import lab.devicetwins.localhub.core.TwinChangeFeed;
import lab.devicetwins.localhub.core.TwinOperations;
import lab.devicetwins.localhub.core.TwinQueries;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.localhub.realism.Operation;
import lab.devicetwins.localhub.realism.Throttles;

/**
 * The twin inspector: a web page, served by the hub on a loopback address, that lists the identities, shows a twin
 * with its versions and metadata as it changes (Server-Sent Events from the core's change feed), edits tags and
 * desired properties with the etag they were based on, runs queries and drops connections. It calls the core in
 * process, not the REST API, and never hands a key or connection string to the page.
 *
 * <p>Access needs the secret made at this start ({@link #url()} carries it); see {@link InspectorAccess} for the
 * rules against other sites (DNS rebinding, CSRF).
 */
public final class Inspector {
    private final InspectorServer server;
    private final LiveEvents events;
    private final AutoCloseable subscription;
    private final String url;

    private Inspector(InspectorServer server, LiveEvents events, AutoCloseable subscription, String url) {
        this.server = server;
        this.events = events;
        this.subscription = subscription;
        this.url = url;
    }

    /**
     * What the inspector reads and changes: the hub's core, in process, with how real it behaves ({@code profile})
     * and its throttles' tallies ({@code throttleCounts}, read only when the page asks; empty for {@code local}).
     */
    public record Core(IdentityRegistry registry, TwinOperations twins, TwinQueries queries,
                       DeviceConnections connections, ConnectionFaults faults, TwinChangeFeed changes,
                       HubProfile profile, Supplier<Map<Operation, Throttles.Counts>> throttleCounts) {
    }

    /**
     * Starts the inspector on {@code host} (a loopback address) and {@code port} (0: a free one); completes once it
     * listens.
     */
    public static Future<Inspector> start(Vertx vertx, String host, int port, Core core) {
        Context context = vertx.getOrCreateContext();
        TwinHistory history = new TwinHistory();
        LiveEvents events = new LiveEvents(vertx, context, history);
        IdentitiesHandler identities = new IdentitiesHandler(core.registry(), core.twins());
        TwinHandler twin = new TwinHandler(core.twins(), history);
        QueryConsoleHandler query = new QueryConsoleHandler(vertx, core.queries());
        ConnectionHandler connection = new ConnectionHandler(core.registry(), core.connections(), core.faults());
        ThrottleCountsHandler throttles = new ThrottleCountsHandler(core.throttleCounts());
        Map<String, InspectorHandler> routes = new LinkedHashMap<>();
        routes.put("GET /api/hub", r -> CompletableFuture.completedFuture(
                InspectorReply.ok(HubFacts.of(core))));
        routes.put("GET /api/identities", identities::list);
        routes.put("POST /api/devices", identities::create);
        routes.put("POST /api/devices/status", identities::setStatus);
        routes.put("DELETE /api/identities", identities::delete);
        routes.put("GET /api/twin", twin::get);
        routes.put("PUT /api/twin", twin::replace);
        routes.put("POST /api/query", query::run);
        routes.put("GET /api/connection", connection::get);
        routes.put("POST /api/connection/drop", connection::drop);
        routes.put("GET /api/throttles", throttles::get);
        InspectorServer server = new InspectorServer(vertx, routes, events);
        String secret = InspectorAccess.newSecret();
        String urlHost = host.contains(":") ? "[" + host + "]" : host;
        Promise<Inspector> started = Promise.promise();
        // listening from the inspector's context keeps its requests, events and history on one event loop
        context.runOnContext(v -> server.listen(host, port, bound -> new InspectorAccess(secret, host, bound))
                .onSuccess(bound -> {
                    AutoCloseable subscription = core.changes().subscribe(events);
                    started.complete(new Inspector(server, events, subscription,
                            "http://" + urlHost + ":" + bound + "/?token=" + secret));
                })
                .onFailure(e -> {
                    events.close();
                    started.fail(e);
                }));
        return started.future();
    }

    /** The address to open: {@code http://127.0.0.1:{port}/?token=…}, valid until the hub stops. */
    public String url() {
        return url;
    }

    public Future<Void> close() {
        try {
            subscription.close();
        } catch (Exception e) {
            // removing a listener from a list does not fail
        }
        events.close();
        return server.close();
    }
}
