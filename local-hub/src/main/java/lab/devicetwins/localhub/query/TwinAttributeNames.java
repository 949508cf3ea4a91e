package lab.devicetwins.localhub.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Canonical spelling of the names the hub itself puts into a twin. IoT Hub matches these case-insensitively
 * ({@code SELECT DeviceId} returns {@code deviceId}); names chosen by applications (tags, desired and reported
 * properties) stay case-sensitive.
 */
final class TwinAttributeNames {

    private static final Map<String, String> TOP_LEVEL = byLowerCase(
            "deviceId", "moduleId", "etag", "deviceEtag", "version", "status", "statusReason", "statusUpdateTime",
            "connectionState", "lastActivityTime", "cloudToDeviceMessageCount", "authenticationType",
            "x509Thumbprint", "modelId", "capabilities", "tags", "properties", "deviceScope", "parentScopes",
            // the rows of devices.jobs
            "jobId", "jobType", "startTimeUtc", "endTimeUtc", "createdDateTimeUtc", "lastUpdatedDateTimeUtc", "outcome");
    private static final Map<String, String> PROPERTY_SECTIONS = byLowerCase("desired", "reported");
    private static final Map<String, String> CAPABILITIES = byLowerCase("iotEdge");
    private static final Map<String, String> THUMBPRINTS = byLowerCase("primaryThumbprint", "secondaryThumbprint");

    private TwinAttributeNames() {
    }

    static List<String> canonical(List<String> segments) {
        List<String> result = new ArrayList<>(segments);
        String first = canonicalIn(TOP_LEVEL, result.get(0));
        result.set(0, first);
        if (result.size() > 1) {
            Map<String, String> second = switch (first) {
                case "properties" -> PROPERTY_SECTIONS;
                case "capabilities" -> CAPABILITIES;
                case "x509Thumbprint" -> THUMBPRINTS;
                default -> Map.of();
            };
            result.set(1, canonicalIn(second, result.get(1)));
        }
        return result;
    }

    private static String canonicalIn(Map<String, String> names, String name) {
        return names.getOrDefault(name.toLowerCase(Locale.ROOT), name);
    }

    private static Map<String, String> byLowerCase(String... names) {
        return Stream.of(names).collect(Collectors.toUnmodifiableMap(n -> n.toLowerCase(Locale.ROOT), Function.identity()));
    }
}
