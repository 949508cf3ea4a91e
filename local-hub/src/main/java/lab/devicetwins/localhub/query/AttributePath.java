package lab.devicetwins.localhub.query;

import java.util.List;

/**
 * A path into the twin document, such as {@code tags.location.plant} or {@code properties.reported['HomeTemp(F)']},
 * with system-property names already in canonical case.
 */
public record AttributePath(List<String> segments) {

    public AttributePath {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("an attribute path needs at least one segment");
        }
    }

    /** The key a projection of this path gets when it has no alias: its last segment. */
    public String lastSegment() {
        return segments.get(segments.size() - 1);
    }

    /**
     * The SQLite JSON path, every member quoted so that names like {@code HomeTemp(F)} or {@code a.b} address one
     * member. SQLite's path syntax has no escape for a double quote inside a quoted member, which is why such names
     * are refused when the query is parsed.
     */
    public String jsonPath() {
        StringBuilder path = new StringBuilder("$");
        for (String segment : segments) {
            path.append(".\"").append(segment).append('"');
        }
        return path.toString();
    }

    @Override
    public String toString() {
        return String.join(".", segments);
    }
}
