package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Set;
import java.util.stream.Collectors;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.localhub.realism.Operation;

/**
 * How real the hub behaves, as the page's profile panel shows it: a title ("S1 x 1 unit", "local: no throttling, no
 * query lag"), the knobs with their values and sources, and the throttled operations with their rates. The rates are
 * knobs too; they go to {@code operations} only, where the page shows them beside their counts.
 */
final class ProfileFacts {
    private ProfileFacts() {
    }

    static JsonObject of(HubProfile profile) {
        JsonObject json = new JsonObject();
        json.addProperty("name", profile.name());
        json.addProperty("title", title(profile));
        json.addProperty("throttles", profile.throttles());
        Set<String> rateNames = profile.rates().keySet().stream().map(Operation::description).collect(Collectors.toSet());
        JsonArray knobs = new JsonArray();
        profile.knobs().stream().filter(k -> !rateNames.contains(k.name())).forEach(k -> {
            JsonObject knob = new JsonObject();
            knob.addProperty("name", k.name());
            knob.addProperty("value", k.value());
            knob.addProperty("source", k.source());
            knobs.add(knob);
        });
        json.add("knobs", knobs);
        JsonArray operations = new JsonArray();
        profile.rates().forEach((operation, rate) -> {
            JsonObject row = new JsonObject();
            row.addProperty("operation", operation.shortName());
            row.addProperty("description", operation.description());
            row.addProperty("rate", rate.summary());
            row.addProperty("source", rate.source());
            operations.add(row);
        });
        json.add("operations", operations);
        return json;
    }

    /** "S1 x 1 unit", "S2 x 3 units"; for local, what it leaves out: "local: no throttling, no query lag". */
    static String title(HubProfile profile) {
        if (profile.tier() == null) {
            return "local: no throttling, " + (profile.queryLag().isZero() ? "no query lag"
                    : "query lag " + HubProfile.format(profile.queryLag()));
        }
        return profile.tier().name() + " x " + profile.units() + " unit" + (profile.units() == 1 ? "" : "s");
    }
}
