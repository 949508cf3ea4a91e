package lab.devicetwins.localhub.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import lab.devicetwins.localhub.core.BulkRegistry;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.json.StrictJson;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.registry.IdentityKey;
import lab.devicetwins.localhub.registry.ImportMode;
import lab.devicetwins.localhub.registry.ModuleRequest;
import lab.devicetwins.localhub.twin.ServiceTwinWrite;

/**
 * The wire form of the bulk registry operation ({@code POST /devices}): a top-level JSON array of identities in
 * IoT Hub's ExportImportDevice shape ({@code id}, {@code moduleId} for a module, {@code importMode}, {@code eTag}, {@code status},
 * {@code authentication}, {@code capabilities}, {@code deviceScope}, {@code parentScopes}, {@code tags},
 * {@code properties.desired}, {@code twinETag}), and the BulkRegistryOperationResult that answers it.
 */
final class BulkRegistryJson {
    private BulkRegistryJson() {
    }

    /**
     * How many identities a request names, for the registry throttle, which IoT Hub charges per identity of a bulk
     * request; 1 for a body that is no readable array (the request is then refused with 400 anyway).
     */
    static int identityCount(ServiceRequest request) {
        try {
            JsonElement body = StrictJson.parse(request.body());
            return body.isJsonArray() ? body.getAsJsonArray().size() : 1;
        } catch (HubException unreadable) {
            return 1;
        }
    }

    /**
     * The request's items. What makes the whole request unreadable (not an array, too many or no identities, an item
     * without an id, an unknown mode, an identity twice) is refused here and nothing is applied; what is wrong with
     * one item's fields becomes that item's error.
     *
     * @throws HubException 400, 400011 (an identity twice) or 413002 (more than {@link BulkRegistry#MAX_IDENTITIES})
     */
    static List<BulkRegistry.Item> parse(JsonElement body) {
        if (body == null || !body.isJsonArray()) {
            throw invalid("the body must be a JSON array of identities, each {\"id\":…,\"importMode\":…}");
        }
        JsonArray array = body.getAsJsonArray();
        if (array.isEmpty()) {
            throw invalid("the request holds no identities");
        }
        if (array.size() > BulkRegistry.MAX_IDENTITIES) {
            throw new HubException(HubErrorCode.TOO_MANY_DEVICES, "a bulk registry request takes at most "
                    + BulkRegistry.MAX_IDENTITIES + " identities, not " + array.size());
        }
        List<BulkRegistry.Item> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonElement element = array.get(i);
            if (!element.isJsonObject()) {
                throw invalid("identity " + i + " of the request is not a JSON object");
            }
            JsonObject item = element.getAsJsonObject();
            String id = text(item, "id", i);
            if (id == null || id.isEmpty()) {
                throw invalid("identity " + i + " of the request has no 'id'");
            }
            String moduleId = emptyToNull(text(item, "moduleId", i));
            String modeText = text(item, "importMode", i);
            ImportMode mode;
            try {
                mode = modeText == null ? ImportMode.CREATE_OR_UPDATE : ImportMode.parse(modeText);
            } catch (IllegalArgumentException e) {
                throw invalid("identity " + i + " ('" + id + "'): " + e.getMessage());
            }
            if (!seen.add(IdentityKey.of(id, moduleId))) {
                throw new HubException(HubErrorCode.DEVICE_DEFINED_MULTIPLE_TIMES,
                        IdentityKey.describe(IdentityKey.of(id, moduleId)) + " appears more than once in the request");
            }
            items.add(readItem(item, id, moduleId, mode, i));
        }
        return items;
    }

    private static BulkRegistry.Item readItem(JsonObject item, String id, String moduleId, ImportMode mode,
                                              int index) {
        String eTag = text(item, "eTag", index);
        String twinETag = text(item, "twinETag", index);
        try {
            JsonObject identity = item.deepCopy();
            // the item's ids are "id" and "moduleId"; a deviceId beside them is not read
            identity.remove("deviceId");
            identity.remove("moduleId");
            DeviceRequest device = moduleId == null ? DeviceJson.parseRequest(identity, id) : null;
            ModuleRequest module = moduleId == null ? null : DeviceJson.parseModuleRequest(identity, id, moduleId);
            boolean hasTwin = present(item, "tags") || present(item, "properties");
            ServiceTwinWrite twin = hasTwin ? ServiceTwinWrite.fromTwinJson(item) : null;
            return new BulkRegistry.Item(mode, id, moduleId, eTag, twinETag, device, module, twin, null);
        } catch (HubException unreadable) {
            return new BulkRegistry.Item(mode, id, moduleId, eTag, twinETag, null, null, null, unreadable);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** {@code {"isSuccessful":…,"errors":[…],"warnings":[]}}, one error per failed item. */
    static JsonObject result(List<BulkRegistry.ItemError> errors) {
        JsonObject json = new JsonObject();
        json.addProperty("isSuccessful", errors.isEmpty());
        JsonArray list = new JsonArray();
        for (BulkRegistry.ItemError error : errors) {
            JsonObject e = new JsonObject();
            e.addProperty("deviceId", error.deviceId());
            e.add("moduleId", error.moduleId() == null ? JsonNull.INSTANCE : new JsonPrimitive(error.moduleId()));
            e.addProperty("operation", error.mode().wireName());
            e.addProperty("errorCode", error.code().hubName());
            e.addProperty("errorStatus", error.message());
            list.add(e);
        }
        json.add("errors", list);
        json.add("warnings", new JsonArray());
        return json;
    }

    private static boolean present(JsonObject json, String member) {
        JsonElement e = json.get(member);
        return e != null && !e.isJsonNull();
    }

    /**
     * The member's value, its name matched as IoT Hub's JSON reader matches it: exactly, else without regard to case
     * (the Node SDK sends a device's {@code etag} as it read it, where ExportImportDevice says {@code eTag}).
     */
    private static JsonElement member(JsonObject json, String member) {
        JsonElement exact = json.get(member);
        if (exact != null) {
            return exact;
        }
        for (String name : json.keySet()) {
            if (name.equalsIgnoreCase(member)) {
                return json.get(name);
            }
        }
        return null;
    }

    private static String text(JsonObject json, String member, int index) {
        JsonElement e = member(json, member);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw invalid("identity " + index + " of the request: '" + member + "' must be a string");
        }
        return e.getAsString();
    }

    private static HubException invalid(String message) {
        return new HubException(HubErrorCode.ARGUMENT_INVALID, message);
    }
}
