package lab.devicetwins.localhub.http;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.PUT;
import static lab.devicetwins.localhub.auth.AccessRight.SERVICE_CONNECT;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import lab.devicetwins.localhub.core.ServiceTwin;
import lab.devicetwins.localhub.core.TwinOperations;
import lab.devicetwins.localhub.realism.Operation;
import lab.devicetwins.localhub.registry.IdentityKey;
import lab.devicetwins.localhub.twin.ServiceTwinWrite;

/**
 * Device and module twins over REST. A twin is part of its identity, so its routes act on the resource
 * {@code devices/{id}} (or {@code devices/{id}/modules/{mid}}): a token scoped to one device reaches that device's
 * twin and its modules' twins, and no other.
 */
final class TwinsApi {
    private final TwinOperations twins;

    TwinsApi(TwinOperations twins) {
        this.twins = twins;
    }

    List<ServiceRoute> routes() {
        return List.of(
                ServiceRoute.of(GET, "/twins/{id}", SERVICE_CONNECT, "devices/{id}", this::get)
                        .metered(Operation.TWIN_READS),
                ServiceRoute.of(PATCH, "/twins/{id}", SERVICE_CONNECT, "devices/{id}", this::patch)
                        .metered(Operation.TWIN_UPDATES),
                ServiceRoute.of(PUT, "/twins/{id}", SERVICE_CONNECT, "devices/{id}", this::replace)
                        .metered(Operation.TWIN_UPDATES),
                ServiceRoute.of(GET, "/twins/{id}/modules/{mid}", SERVICE_CONNECT, "devices/{id}/modules/{mid}",
                        this::get).metered(Operation.TWIN_READS),
                ServiceRoute.of(PATCH, "/twins/{id}/modules/{mid}", SERVICE_CONNECT, "devices/{id}/modules/{mid}",
                        this::patch).metered(Operation.TWIN_UPDATES),
                ServiceRoute.of(PUT, "/twins/{id}/modules/{mid}", SERVICE_CONNECT, "devices/{id}/modules/{mid}",
                        this::replace).metered(Operation.TWIN_UPDATES));
    }

    private CompletableFuture<Reply> get(ServiceRequest request) {
        return CompletableFuture.completedFuture(reply(twins.serviceView(key(request))));
    }

    private CompletableFuture<Reply> patch(ServiceRequest request) {
        ServiceTwinWrite write = ServiceTwinWrite.fromTwinJson(RequestJson.parse(request.body()));
        return twins.patch(key(request), write.tags(), write.desired(), request.header("If-Match"))
                .thenApply(TwinsApi::reply);
    }

    private CompletableFuture<Reply> replace(ServiceRequest request) {
        ServiceTwinWrite write = ServiceTwinWrite.fromTwinJson(RequestJson.parse(request.body()));
        return twins.replace(key(request), write.tags(), write.desired(), request.header("If-Match"))
                .thenApply(TwinsApi::reply);
    }

    /** The device's key, or the module's when the path names one. */
    private static String key(ServiceRequest request) {
        return IdentityKey.of(request.param("id"), request.optionalParam("mid"));
    }

    private static Reply reply(ServiceTwin twin) {
        JsonObject view = TwinView.of(twin.identity(), twin.twin());
        return Reply.json(view, twin.twin().etag());
    }
}
