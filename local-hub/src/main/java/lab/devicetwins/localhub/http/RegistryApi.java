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
import lab.devicetwins.localhub.realism.Operation;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.registry.IdentityKey;
import lab.devicetwins.localhub.registry.ModuleRequest;

/** The identity registry over REST: devices, their modules, the bulk operation and the statistics. */
final class RegistryApi {
    private final IdentityRegistry registry;
    private final BulkRegistry bulk;

    RegistryApi(IdentityRegistry registry, BulkRegistry bulk) {
        this.registry = registry;
        this.bulk = bulk;
    }

    List<ServiceRoute> routes() {
        return ServiceRoute.metered(Operation.REGISTRY, List.of(
                ServiceRoute.of(GET, "/devices", REGISTRY_READ, "devices", this::list),
                ServiceRoute.of(POST, "/devices", REGISTRY_WRITE, "devices", this::bulk)
                        .metered(new Meter(Operation.REGISTRY, BulkRegistryJson::identityCount)),
                ServiceRoute.of(GET, "/devices/{id}", REGISTRY_READ, "devices/{id}", this::get),
                ServiceRoute.of(PUT, "/devices/{id}", REGISTRY_WRITE, "devices/{id}", this::put),
                ServiceRoute.of(DELETE, "/devices/{id}", REGISTRY_WRITE, "devices/{id}", this::delete),
                ServiceRoute.of(GET, "/devices/{id}/modules", REGISTRY_READ, "devices/{id}", this::listModules),
                ServiceRoute.of(GET, "/devices/{id}/modules/{mid}", REGISTRY_READ, "devices/{id}/modules/{mid}",
                        this::getModule),
                ServiceRoute.of(PUT, "/devices/{id}/modules/{mid}", REGISTRY_WRITE, "devices/{id}/modules/{mid}",
                        this::putModule),
                ServiceRoute.of(DELETE, "/devices/{id}/modules/{mid}", REGISTRY_WRITE, "devices/{id}/modules/{mid}",
                        this::deleteModule),
                ServiceRoute.of(GET, "/statistics/devices", REGISTRY_READ, "statistics/devices", this::statistics)));
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

    private CompletableFuture<Reply> listModules(ServiceRequest request) {
        JsonArray all = new JsonArray();
        registry.modules(request.param("id")).forEach(m -> all.add(DeviceJson.moduleToJson(m)));
        return CompletableFuture.completedFuture(Reply.json(all));
    }

    private CompletableFuture<Reply> getModule(ServiceRequest request) {
        DeviceIdentity module = registry.require(moduleKey(request));
        return CompletableFuture.completedFuture(Reply.json(DeviceJson.moduleToJson(module), module.etag()));
    }

    /** As for devices: PUT without If-Match creates, with one it updates (the SDK's updateModule sends {@code *}). */
    private CompletableFuture<Reply> putModule(ServiceRequest request) {
        ModuleRequest module = DeviceJson.parseModuleRequest(RequestJson.parse(request.body()), request.param("id"),
                request.param("mid"));
        String ifMatch = request.header("If-Match");
        var result = ifMatch == null || ifMatch.isBlank() ? registry.createModule(module)
                : registry.updateModule(module, ifMatch);
        return result.thenApply(m -> Reply.json(DeviceJson.moduleToJson(m), m.etag()));
    }

    private CompletableFuture<Reply> deleteModule(ServiceRequest request) {
        return registry.delete(moduleKey(request), request.header("If-Match")).thenApply(x -> Reply.noContent());
    }

    private static String moduleKey(ServiceRequest request) {
        return IdentityKey.of(request.param("id"), request.param("mid"));
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
