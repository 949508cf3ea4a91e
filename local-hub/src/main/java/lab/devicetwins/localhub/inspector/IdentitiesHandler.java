package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import lab.devicetwins.localhub.core.IdentityRegistry;
import lab.devicetwins.localhub.core.ServiceTwin;
import lab.devicetwins.localhub.core.TwinOperations;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.http.TwinView;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.registry.DeviceStatus;

/**
 * The device list of the page: devices with their modules, a page at a time, filtered by text; create, enable or
 * disable, delete. A row is the twin as the REST API renders it ({@link TwinView}) without its properties: status,
 * connection state, last activity, twin version and tags, and never a key.
 */
final class IdentitiesHandler {
    static final int DEFAULT_PAGE = 25;
    static final int MAX_PAGE = 200;

    private final IdentityRegistry registry;
    private final TwinOperations twins;

    IdentitiesHandler(IdentityRegistry registry, TwinOperations twins) {
        this.registry = registry;
        this.twins = twins;
    }

    /** {@code ?filter=&after=&limit=}: the devices after {@code after} that match; {@code next} when more follow. */
    CompletableFuture<InspectorReply> list(InspectorRequest request) {
        String filter = request.param("filter");
        String needle = filter == null ? null : filter.toLowerCase(Locale.ROOT);
        int limit = pageSize(request.param("limit"));
        JsonArray items = new JsonArray();
        String last = null;
        boolean more = false;
        for (DeviceIdentity device : registry.devicesAfter(request.param("after"))) {
            JsonObject row = row(device.key());
            if (row == null) {
                continue; // deleted while we read
            }
            JsonArray modules = new JsonArray();
            boolean moduleMatches = false;
            for (DeviceIdentity module : modulesOf(device.deviceId())) {
                JsonObject moduleRow = row(module.key());
                if (moduleRow != null) {
                    modules.add(moduleRow);
                    moduleMatches |= matches(moduleRow, needle);
                }
            }
            if (!matches(row, needle) && !moduleMatches) {
                continue;
            }
            if (items.size() == limit) {
                more = true;
                break;
            }
            row.add("modules", modules);
            items.add(row);
            last = device.deviceId();
        }
        JsonObject page = new JsonObject();
        page.add("items", items);
        if (more) {
            page.addProperty("next", last);
        }
        return CompletableFuture.completedFuture(InspectorReply.ok(page));
    }

    private List<DeviceIdentity> modulesOf(String deviceId) {
        try {
            return registry.modules(deviceId);
        } catch (HubException deleted) {
            return List.of();
        }
    }

    private JsonObject row(String key) {
        ServiceTwin twin;
        try {
            twin = twins.serviceView(key);
        } catch (HubException deleted) {
            return null;
        }
        JsonObject row = TwinView.of(twin.identity(), twin.twin());
        row.remove("properties");
        row.addProperty("key", key);
        return row;
    }

    /** The text is looked for in the ids and in the tags, case-insensitively. */
    static boolean matches(JsonObject row, String needle) {
        if (needle == null || needle.isEmpty()) {
            return true;
        }
        for (String member : new String[] {"deviceId", "moduleId"}) {
            JsonElement id = row.get(member);
            if (id != null && id.getAsString().toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        JsonElement tags = row.get("tags");
        return tags != null && tags.toString().toLowerCase(Locale.ROOT).contains(needle);
    }

    private static int pageSize(String text) {
        if (text == null) {
            return DEFAULT_PAGE;
        }
        try {
            int size = Integer.parseInt(text);
            if (size >= 1 && size <= MAX_PAGE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new HubException(HubErrorCode.ARGUMENT_INVALID, "limit must be a whole number from 1 to " + MAX_PAGE);
    }

    /** {@code {"deviceId":…}}: a new enabled device with keys the hub makes (the page never sees them). */
    CompletableFuture<InspectorReply> create(InspectorRequest request) {
        JsonElement id = request.object().get("deviceId");
        if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isString()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "the body must be {\"deviceId\":\"…\"}");
        }
        return registry.create(DeviceRequest.withKeys(id.getAsString(), null, null))
                .thenApply(device -> new InspectorReply(201, row(device.key())));
    }

    /** {@code ?id=} and {@code {"status":"enabled"|"disabled"}}: a disabled device's connection ends at once. */
    CompletableFuture<InspectorReply> setStatus(InspectorRequest request) {
        String deviceId = request.require("id");
        JsonElement statusJson = request.object().get("status");
        DeviceStatus status;
        try {
            status = DeviceStatus.parse(statusJson == null || !statusJson.isJsonPrimitive() ? ""
                    : statusJson.getAsString());
        } catch (IllegalArgumentException e) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "status must be \"enabled\" or \"disabled\"");
        }
        DeviceIdentity current = registry.require(deviceId);
        if (current.isModule()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "a module has no status of its own: it follows its device");
        }
        DeviceRequest update = new DeviceRequest(deviceId, status, current.statusReason(), null, current.iotEdge(),
                current.deviceScope(), current.parentScopes());
        return registry.update(update, current.etag()).thenApply(device -> InspectorReply.ok(row(device.key())));
    }

    /** {@code ?id=}: deletes the device (with its modules) or the module; the page asks for confirmation first. */
    CompletableFuture<InspectorReply> delete(InspectorRequest request) {
        String key = request.require("id");
        return registry.delete(key, "*").thenApply(x -> new InspectorReply(204, new JsonObject()));
    }
}
