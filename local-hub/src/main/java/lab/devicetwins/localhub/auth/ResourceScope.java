package lab.devicetwins.localhub.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a SAS token's {@code sr} grants: a resource-URI prefix, compared segment by segment. IoT Hub's docs call
 * {@code sr} the "URI prefix (by segment) of the endpoints that can be accessed with this token": a token for
 * {@code {host}/devices/X} reaches {@code devices/X} and what lies under it, not {@code devices/Y}, not
 * {@code devices/query}, not the registry at large; a token for {@code {host}} reaches everything.
 *
 * <p>{@code sr} is compared URL-decoded once (the SDKs differ in whether they encode it) and without regard to case
 * (the docs tell clients to lower-case it). A dot segment ({@code .} or {@code ..}) or an empty segment inside it is
 * refused rather than resolved, so no spelling of a path can reach past the prefix it names.
 */
public final class ResourceScope {
    private final String host;
    private final List<String> segments;

    private ResourceScope(String host, List<String> segments) {
        this.host = host;
        this.segments = segments;
    }

    /**
     * Reads a decoded, lower-cased {@code sr} against the hub's (lower-cased) host names.
     *
     * @return empty when {@code sr} does not start with one of the host names, or has a dot or empty segment
     */
    public static Optional<ResourceScope> of(String decodedResource, List<String> hostNames) {
        for (String host : hostNames) {
            if (decodedResource.equals(host) || decodedResource.equals(host + "/")) {
                return Optional.of(new ResourceScope(host, List.of()));
            }
            if (decodedResource.startsWith(host + "/")) {
                String path = decodedResource.substring(host.length() + 1);
                if (path.endsWith("/")) {
                    path = path.substring(0, path.length() - 1);
                }
                List<String> segments = Arrays.asList(path.split("/", -1));
                if (segments.stream().anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
                    return Optional.empty();
                }
                return Optional.of(new ResourceScope(host, List.copyOf(segments)));
            }
        }
        return Optional.empty();
    }

    /** True when this scope is a segment prefix of the resource (its segments as they appear in the path). */
    public boolean covers(List<String> resource) {
        if (segments.size() > resource.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            if (!segments.get(i).equals(resource.get(i).toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** The hub host the scope names, lower-cased. */
    public String host() {
        return host;
    }

    @Override
    public String toString() {
        return segments.isEmpty() ? host : host + "/" + String.join("/", segments);
    }
}
