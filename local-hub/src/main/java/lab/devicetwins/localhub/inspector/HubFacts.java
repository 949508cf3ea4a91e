package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonObject;
import lab.devicetwins.localhub.core.IdentityRegistry;
import lab.devicetwins.localhub.twin.TwinLimits;

/**
 * What the page needs to know of the hub itself: the twin limits its editor checks before sending, and the profile
 * its profile panel shows.
 */
final class HubFacts {
    private HubFacts() {
    }

    static JsonObject of(Inspector.Core core) {
        JsonObject facts = new JsonObject();
        TwinLimits limits = core.twins().limits();
        JsonObject json = new JsonObject();
        json.addProperty("tagsMaxBytes", limits.tagsMaxBytes());
        json.addProperty("desiredMaxBytes", limits.desiredMaxBytes());
        json.addProperty("maxDepth", limits.maxDepth());
        json.addProperty("keyMaxBytes", limits.keyMaxBytes());
        json.addProperty("stringMaxBytes", limits.stringMaxBytes());
        json.addProperty("minInteger", TwinLimits.MIN_INTEGER);
        json.addProperty("maxInteger", TwinLimits.MAX_INTEGER);
        facts.add("limits", json);
        IdentityRegistry.Statistics statistics = core.registry().statistics();
        facts.addProperty("devices", statistics.total());
        facts.add("profile", ProfileFacts.of(core.profile()));
        return facts;
    }
}
