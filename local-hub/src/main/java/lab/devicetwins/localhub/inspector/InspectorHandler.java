package lab.devicetwins.localhub.inspector;

import java.util.concurrent.CompletableFuture;

/** One API operation of the page; throws or completes exceptionally with a HubException for a refused operation. */
@FunctionalInterface
interface InspectorHandler {
    CompletableFuture<InspectorReply> handle(InspectorRequest request);
}
