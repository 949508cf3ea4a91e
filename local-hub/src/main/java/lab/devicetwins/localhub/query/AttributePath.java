package lab.devicetwins.localhub.query;

import java.util.List;

/**
 * A path into the twin document, such as {@code tags.location.plant} or {@code properties.reported['HomeTemp(F)']}.
 * The names the hub itself puts into a twin are always in canonical case ({@code DeviceId} becomes {@code deviceId},
 * {@code properties.Reported} becomes {@code properties.reported}), so a path can be looked up exactly; names chosen
 * by applications stay as written.
 */
public record AttributePath(List<String> segments) {

    /**
     * Puts the names the hub itself writes into canonical case.
     *
     * @throws IllegalArgumentException when there are no segments
     */
    public AttributePath {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("an attribute path needs at least one segment");
        }
        segments = List.copyOf(TwinAttributeNames.canonical(segments));
    }

    /** A path from its segments, e.g. {@code AttributePath.of("properties", "reported", "HomeTemp(F)")}. */
    public static AttributePath of(String... segments) {
        return new AttributePath(List.of(segments));
    }

    /** The key a projection of this path gets when it has no alias: its last segment. */
    public String lastSegment() {
        return segments.get(segments.size() - 1);
    }

    @Override
    public String toString() {
        return String.join(".", segments);
    }
}
