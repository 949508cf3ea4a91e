package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import lab.devicetwins.localhub.core.ConnectionFaults;
import lab.devicetwins.localhub.core.DeviceConnections;
import lab.devicetwins.localhub.core.IdentityRegistry;
import lab.devicetwins.localhub.twin.HubTimestamp;

/**
 * An identity's current MQTT connection (since when, keep-alive, clean session, subscriptions) and the button that
 * drops it the way a network failure would, so a learner can watch the SDK reconnect and catch up.
 */
final class ConnectionHandler {
    private final IdentityRegistry registry;
    private final DeviceConnections connections;
    private final ConnectionFaults faults;

    ConnectionHandler(IdentityRegistry registry, DeviceConnections connections, ConnectionFaults faults) {
        this.registry = registry;
        this.connections = connections;
        this.faults = faults;
    }

    /** {@code ?id=}: {@code {"connected":false}} or the connection's facts. */
    CompletableFuture<InspectorReply> get(InspectorRequest request) {
        String key = request.require("id");
        registry.require(key); // 404 for an identity that is not there
        Optional<DeviceConnections.Connection> connection = connections.connection(key);
        JsonObject body = new JsonObject();
        body.addProperty("connected", connection.isPresent());
        connection.ifPresent(c -> {
            body.addProperty("since", HubTimestamp.formatOrNever(c.since()));
            body.addProperty("keepAliveSeconds", c.keepAliveSeconds());
            body.addProperty("cleanSession", c.cleanSession());
            JsonObject subscriptions = new JsonObject();
            c.subscriptions().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(s -> subscriptions.addProperty(s.getKey(), s.getValue()));
            body.add("subscriptions", subscriptions);
        });
        return CompletableFuture.completedFuture(InspectorReply.ok(body));
    }

    /** {@code ?id=}: drops the connection; 202, since the reconnect is the device's business. */
    CompletableFuture<InspectorReply> drop(InspectorRequest request) {
        String key = request.require("id");
        registry.require(key);
        faults.dropNow(key, Duration.ZERO, false);
        return CompletableFuture.completedFuture(new InspectorReply(202, new JsonObject()));
    }
}
