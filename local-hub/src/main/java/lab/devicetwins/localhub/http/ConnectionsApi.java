package lab.devicetwins.localhub.http;

import static io.vertx.core.http.HttpMethod.POST;
import static lab.devicetwins.localhub.auth.AccessRight.SERVICE_CONNECT;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import lab.devicetwins.localhub.core.ConnectionFaults;
import lab.devicetwins.localhub.core.IdentityRegistry;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.registry.IdentityKey;

/**
 * The local hub's own drop-connection, which IoT Hub has no REST API for: {@code POST
 * /localhub/connections/{id}/drop} (and {@code …/{id}/modules/{mid}/drop}) ends the identity's MQTT connection as a
 * network failure would, and with {@code {"refuseReconnectSeconds":N}} refuses its reconnects for N seconds. The
 * prefix keeps it apart from IoT Hub's paths. It needs ServiceConnect on the identity, as a method call to it does.
 * The answer says whether the identity was connected.
 */
final class ConnectionsApi {
    static final String PREFIX = "/localhub/connections";

    private final IdentityRegistry registry;
    private final ConnectionFaults faults;

    ConnectionsApi(IdentityRegistry registry, ConnectionFaults faults) {
        this.registry = registry;
        this.faults = faults;
    }

    List<ServiceRoute> routes() {
        return List.of(
                ServiceRoute.of(POST, PREFIX + "/{id}/drop", SERVICE_CONNECT, "devices/{id}", this::drop),
                ServiceRoute.of(POST, PREFIX + "/{id}/modules/{mid}/drop", SERVICE_CONNECT,
                        "devices/{id}/modules/{mid}", this::drop));
    }

    private CompletableFuture<Reply> drop(ServiceRequest request) {
        String key = IdentityKey.of(request.param("id"), request.optionalParam("mid"));
        Duration refuseFor = refusal(request.body());
        registry.require(key);
        boolean wasConnected = faults.dropNow(key, refuseFor, false);
        JsonObject body = new JsonObject();
        body.addProperty("deviceId", IdentityKey.deviceId(key));
        if (IdentityKey.isModule(key)) {
            body.addProperty("moduleId", IdentityKey.moduleId(key));
        }
        body.addProperty("wasConnected", wasConnected);
        body.addProperty("refuseReconnectSeconds", refuseFor.toSeconds());
        return CompletableFuture.completedFuture(Reply.json(body));
    }

    /** No body, {@code {}}, or {@code {"refuseReconnectSeconds":N}} with N a whole number from 0 to 2 days. */
    static Duration refusal(byte[] body) {
        if (body.length == 0) {
            return Duration.ZERO;
        }
        JsonElement json = RequestJson.parse(body);
        if (!json.isJsonObject()) {
            throw invalid("the body must be a JSON object, e.g. {\"refuseReconnectSeconds\":10}");
        }
        for (String name : json.getAsJsonObject().keySet()) {
            if (!name.equals("refuseReconnectSeconds")) {
                throw invalid("unknown member '" + name + "'; the body may hold only 'refuseReconnectSeconds'");
            }
        }
        JsonElement seconds = json.getAsJsonObject().get("refuseReconnectSeconds");
        if (seconds == null) {
            return Duration.ZERO;
        }
        long max = ConnectionFaults.MAX_SECONDS.toSeconds();
        if (!seconds.isJsonPrimitive() || !seconds.getAsJsonPrimitive().isNumber()
                || !seconds.getAsString().matches("[0-9]{1,9}") || Long.parseLong(seconds.getAsString()) > max) {
            throw invalid("'refuseReconnectSeconds' must be a whole number of seconds from 0 to " + max);
        }
        return Duration.ofSeconds(Long.parseLong(seconds.getAsString()));
    }

    private static HubException invalid(String message) {
        return new HubException(HubErrorCode.ARGUMENT_INVALID, message);
    }
}
