package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import lab.devicetwins.localhub.core.ServiceTwin;
import lab.devicetwins.localhub.core.TwinOperations;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.http.TwinView;
import lab.devicetwins.localhub.twin.ServiceTwinWrite;

/**
 * One twin: read it as {@code GET /twins/{id}} renders it (tags, desired and reported with {@code $version} and
 * {@code $metadata}, etag), with its history; replace its tags and desired properties with the etag the edit was
 * based on. The twin rules are the hub's own ({@link TwinOperations}); a concurrent change answers IoT Hub's 412 with
 * the twin as it is now, so the page can show what changed under the edit.
 */
final class TwinHandler {
    private final TwinOperations twins;
    private final TwinHistory history;

    TwinHandler(TwinOperations twins, TwinHistory history) {
        this.twins = twins;
        this.history = history;
    }

    /** {@code ?id=} (a device id, or {@code device/module}). */
    CompletableFuture<InspectorReply> get(InspectorRequest request) {
        String key = request.require("id");
        JsonObject body = view(twins.serviceView(key));
        body.add("history", history.of(key));
        return CompletableFuture.completedFuture(InspectorReply.ok(body));
    }

    /**
     * {@code ?id=}, {@code If-Match: etag} and {@code {"tags":{…},"properties":{"desired":{…}}}}: replaces both, as
     * {@code PUT /twins/{id}} does. Without If-Match the write is refused: an edit is always based on a version.
     */
    CompletableFuture<InspectorReply> replace(InspectorRequest request) {
        String key = request.require("id");
        if (request.ifMatch() == null || request.ifMatch().isBlank() || request.ifMatch().trim().equals("*")) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID,
                    "an edit must carry the etag of the twin it was based on (If-Match)");
        }
        ServiceTwinWrite write = ServiceTwinWrite.fromTwinJson(request.json());
        CompletableFuture<ServiceTwin> written;
        try {
            written = twins.replace(key, write.tags(), write.desired(), request.ifMatch());
        } catch (HubException e) {
            return CompletableFuture.completedFuture(refused(key, e));
        }
        return written.handle((twin, failure) -> {
            if (failure == null) {
                return InspectorReply.ok(view(twin));
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof HubException e) {
                return refused(key, e);
            }
            throw new CompletionException(cause);
        });
    }

    /** The hub's error; for a 412, with the newer twin the edit did not see. */
    private InspectorReply refused(String key, HubException e) {
        InspectorReply reply = InspectorReply.error(e);
        if (e.errorCode() == HubErrorCode.PRECONDITION_FAILED) {
            try {
                reply.body().getAsJsonObject().add("twin", view(twins.serviceView(key)));
            } catch (HubException deleted) {
                // deleted meanwhile: the 412 alone says the edit is stale
            }
        }
        return reply;
    }

    private static JsonObject view(ServiceTwin twin) {
        return TwinView.of(twin.identity(), twin.twin());
    }
}
