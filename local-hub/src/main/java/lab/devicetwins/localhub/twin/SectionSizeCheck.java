package lab.devicetwins.localhub.twin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;

/**
 * Checks the size of a section as a write would leave it. Following the hub's wording ("operations that would
 * increase the size … above the limit"), a write is refused only when it leaves a size over its limit and larger
 * than before; with the default limits that is the same as "over the limit".
 */
final class SectionSizeCheck {
    private final TwinLimits limits;

    SectionSizeCheck(TwinLimits limits) {
        this.limits = limits;
    }

    void check(TwinSection section, JsonObject before, JsonObject after) {
        for (Map.Entry<String, JsonElement> property : after.entrySet()) {
            long size = TwinSize.ofProperty(property.getKey(), property.getValue());
            JsonElement previous = before.get(property.getKey());
            long previousSize = previous == null ? 0 : TwinSize.ofProperty(property.getKey(), previous);
            if (size > limits.propertyMaxBytes() && size > previousSize) {
                throw new TwinRuleViolation(section.path() + "." + property.getKey(), "property would be " + size
                        + " bytes (key plus value), over the " + limits.propertyMaxBytes() + "-byte limit for a single property");
            }
        }
        long size = TwinSize.ofProperties(after.entrySet());
        int max = section.maxBytes(limits);
        if (size > max && size > TwinSize.ofProperties(before.entrySet())) {
            throw new TwinRuleViolation(section.path(), "section would be " + size + " bytes, over its " + max
                    + "-byte limit (keys plus values; $version and $metadata not counted)");
        }
    }
}
