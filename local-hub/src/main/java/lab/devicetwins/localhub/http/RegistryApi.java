package lab.devicetwins.localhub.http;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;
import static lab.devicetwins.localhub.auth.AccessRight.REGISTRY_READ;
import static lab.devicetwins.localhub.auth.AccessRight.REGISTRY_WRITE;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import lab.devicetwins.localhub.core.BulkRegistry;
import lab.devicetwins.localhub.core.IdentityRegistry;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceRequest;

/** The identity registry over REST: devices, the bulk operation and the statistics. */
final class RegistryApi {
    private final IdentityRegistry registry;
    private final BulkRegistry bulk;

    RegistryApi(IdentityRegistry registry, BulkRegistry bulk) {
        this.registry = registry;
        this.bulk = bulk;
    }

    List<ServiceRoute> routes() {
        return List.of(
                ServiceRoute.of(GET, "/devices", REGISTRY_READ, "devices", this::list),
                ServiceRoute.of(POST, "/devices", REGISTRY_WRITE, "devices", this::bulk),
                ServiceRoute.of(GET, "/devices/{id}", REGISTRY_READ, "devices/{id}", this::get),
                ServiceRoute.of(PUT, "/devices/{id}", REGISTRY_WRITE, "devices/{id}", this::put),
                ServiceRoute.of(DELETE, "/devices/{id}", REGISTRY_WRITE, "devices/{id}", this::delete),
                ServiceRoute.of(GET, "/statistics/devices", REGISTRY_READ, "statistics/devices", this::statistics));
    }

    private CompletableFuture<Reply> list(ServiceRequest request) {
        JsonArray all = new JsonArray();
        registry.list().forEach(d -> all.add(DeviceJson.toJson(d)));
        return CompletableFuture.completedFuture(Reply.json(all));
    }

    private CompletableFuture<Reply> get(ServiceRequest request) {
        DeviceIdentity device = registry.require(request.param("id"));
        return CompletableFuture.completedFuture(Reply.json(DeviceJson.toJson(device), device.etag()));
    }

    /** PUT without If-Match creates; with one it updates (the SDK's updateDevice sends {@code *}). */
    private CompletableFuture<Reply> put(ServiceRequest request) {
        DeviceRequest device = DeviceJson.parseRequest(RequestJson.parse(request.body()), request.param("id"));
        String ifMatch = request.header("If-Match");
        var result = ifMatch == null || ifMatch.isBlank() ? registry.create(device) : registry.update(device, ifMatch);
        return result.thenApply(d -> Reply.json(DeviceJson.toJson(d), d.etag()));
    }

    /**
     * 200 when every item was applied, else 400 (500 when an item failed through the hub's own fault, a failed
     * commit); the body lists the items that failed either way.
     */
    private CompletableFuture<Reply> bulk(ServiceRequest request) {
        List<BulkRegistry.Item> items = BulkRegistryJson.parse(RequestJson.parse(request.body()));
        return bulk.apply(items).thenApply(errors -> {
            int status = errors.isEmpty() ? 200
                    : errors.stream().anyMatch(e -> e.code() == HubErrorCode.SERVER_ERROR) ? 500 : 400;
            return new Reply(status, BulkRegistryJson.result(errors), null, null, null);
        });
    }

    private CompletableFuture<Reply> delete(ServiceRequest request) {
        return registry.delete(request.param("id"), request.header("If-Match")).thenApply(x -> Reply.noContent());
    }

    private CompletableFuture<Reply> statistics(ServiceRequest request) {
        IdentityRegistry.Statistics stats = registry.statistics();
        JsonObject json = new JsonObject();
        json.addProperty("totalDeviceCount", stats.total());
        json.addProperty("enabledDeviceCount", stats.enabled());
        // the Java service SDK reads this misspelt name; IoT Hub sends only the one above
        json.addProperty("enableDeviceCount", stats.enabled());
        json.addProperty("disabledDeviceCount", stats.disabled());
        return CompletableFuture.completedFuture(Reply.json(json));
    }
}
