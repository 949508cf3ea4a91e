package lab.devicetwins.localhub.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.registry.IdentityKey;
import lab.devicetwins.localhub.registry.ModuleRequest;
import lab.devicetwins.localhub.registry.ImportMode;
import lab.devicetwins.localhub.twin.ServiceTwinWrite;

/**
 * IoT Hub's bulk registry operation: up to {@link #MAX_IDENTITIES} identities created, updated or deleted in one
 * request, devices and modules ({@code moduleId}) and different modes mixed. Each item is applied on its own and atomically (an identity and its twin change
 * in one commit), in the order given, so an item may rely on an earlier one (an edge device, then its child); one
 * item failing does not stop the others. The answer waits until every change made is committed.
 * Items go through {@link IdentityRegistry} and {@link TwinOperations}, so {@link TwinChangeFeed} watchers (the
 * inspector) hear each committed item as one change, exactly as for a single write.
 */
public final class BulkRegistry {
    /** IoT Hub's limit per request. */
    public static final int MAX_IDENTITIES = 100;
    private static final Logger LOG = Logger.getLogger(BulkRegistry.class.getName());

    private final IdentityRegistry registry;
    private final TwinOperations twins;

    public BulkRegistry(IdentityRegistry registry, TwinOperations twins) {
        this.registry = registry;
        this.twins = twins;
    }

    /**
     * One identity of the request.
     *
     * @param moduleId the module's id when the item is a module of device {@code deviceId}, else null
     * @param device what a device should be (for the create and update modes), null for a module
     * @param module what a module should be (for the create and update modes), null for a device
     * @param twin tags and desired properties to give the twin, or null to leave it
     * @param unreadable why the item could not be read, or null: such an item fails with that error and does nothing
     */
    public record Item(ImportMode mode, String deviceId, String moduleId, String eTag, String twinETag,
                       DeviceRequest device, ModuleRequest module, ServiceTwinWrite twin, HubException unreadable) {

        /** The identity the item names. */
        public String key() {
            return IdentityKey.of(deviceId, moduleId);
        }
    }

    /** Why one item failed. */
    public record ItemError(String deviceId, String moduleId, ImportMode mode, HubErrorCode code, String message) {
    }

    /** Applies the items in order; completes, once all changes are committed, with the items that failed. */
    public CompletableFuture<List<ItemError>> apply(List<Item> items) {
        List<CompletableFuture<ItemError>> outcomes = new ArrayList<>();
        for (Item item : items) {
            outcomes.add(applyOne(item));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(x -> outcomes.stream()
                .map(CompletableFuture::join).filter(e -> e != null).toList());
    }

    private CompletableFuture<ItemError> applyOne(Item item) {
        CompletableFuture<?> done;
        try {
            if (item.unreadable() != null) {
                throw item.unreadable();
            }
            done = start(item);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(errorOf(item, e));
        }
        return done.handle((x, failure) -> failure == null ? null : errorOf(item, failure));
    }

    private CompletableFuture<?> start(Item item) {
        String key = item.key();
        return switch (item.mode()) {
            case CREATE -> create(item);
            case CREATE_OR_UPDATE -> registry.get(key).isPresent() ? update(item, "*") : create(item);
            case CREATE_OR_UPDATE_IF_MATCH_ETAG -> registry.get(key).isPresent()
                    ? update(item, requireEtag(item.eTag(), "eTag")) : create(item);
            case UPDATE -> update(item, "*");
            case UPDATE_IF_MATCH_ETAG -> update(item, requireEtag(item.eTag(), "eTag"));
            case DELETE -> registry.delete(key, "*");
            case DELETE_IF_MATCH_ETAG -> registry.delete(key, requireEtag(item.eTag(), "eTag"));
            case UPDATE_TWIN -> replaceTwin(item, "*");
            case UPDATE_TWIN_IF_MATCH_ETAG -> replaceTwin(item, requireEtag(item.twinETag(), "twinETag"));
        };
    }

    /** Creates the item's device or module, with its twin. */
    private CompletableFuture<?> create(Item item) {
        return item.moduleId() == null ? registry.create(item.device(), item.twin())
                : registry.createModule(item.module(), item.twin());
    }

    /** Updates the item's device or module (and its twin when the item has one), honouring {@code ifMatch}. */
    private CompletableFuture<?> update(Item item, String ifMatch) {
        return item.moduleId() == null ? registry.update(item.device(), ifMatch, item.twin())
                : registry.updateModule(item.module(), ifMatch, item.twin());
    }

    private CompletableFuture<?> replaceTwin(Item item, String ifMatch) {
        ServiceTwinWrite twin = item.twin() == null ? new ServiceTwinWrite(null, null) : item.twin();
        return twins.replace(item.key(), twin.tags(), twin.desired(), ifMatch);
    }

    private static String requireEtag(String etag, String member) {
        if (etag == null || etag.isBlank()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "this importMode compares etags: the item needs '"
                    + member + "'");
        }
        return etag;
    }

    private static ItemError errorOf(Item item, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HubException hub && hub.errorCode() != HubErrorCode.SERVER_ERROR) {
            return new ItemError(item.deviceId(), item.moduleId(), item.mode(), hub.errorCode(), hub.getMessage());
        }
        LOG.log(Level.WARNING, "bulk registry item for '" + item.key() + "' failed in the hub", cause);
        return new ItemError(item.deviceId(), item.moduleId(), item.mode(), HubErrorCode.SERVER_ERROR,
                "the local hub failed to apply this item; its log has the details");
    }
}
