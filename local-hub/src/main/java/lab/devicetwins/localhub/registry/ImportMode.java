package lab.devicetwins.localhub.registry;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What one item of a bulk registry request does ({@code importMode}), with IoT Hub's meanings: {@code create} fails
 * when the identity exists, {@code update} when it does not, {@code createOrUpdate} does either; the
 * {@code …IfMatchETag} modes first compare the item's {@code eTag} (the twin modes: {@code twinETag}) with the
 * current one; {@code delete} fails when the identity does not exist; {@code updateTwin} replaces the tags and
 * desired properties of an existing identity.
 */
public enum ImportMode {
    CREATE("create"),
    CREATE_OR_UPDATE("createOrUpdate"),
    CREATE_OR_UPDATE_IF_MATCH_ETAG("createOrUpdateIfMatchETag"),
    UPDATE("update"),
    UPDATE_IF_MATCH_ETAG("updateIfMatchETag"),
    DELETE("delete"),
    DELETE_IF_MATCH_ETAG("deleteIfMatchETag"),
    UPDATE_TWIN("updateTwin"),
    UPDATE_TWIN_IF_MATCH_ETAG("updateTwinIfMatchETag");

    private final String wireName;

    ImportMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * The mode a wire name stands for; case is not significant (the .NET SDK sends {@code Create}).
     *
     * @throws IllegalArgumentException naming the modes there are
     */
    public static ImportMode parse(String name) {
        for (ImportMode mode : values()) {
            if (mode.wireName.equalsIgnoreCase(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("importMode '" + name + "' is not one of "
                + Arrays.stream(values()).map(ImportMode::wireName).collect(Collectors.joining(", ")));
    }

    /** True for the modes that compare an etag before they act. */
    public boolean matchesEtag() {
        return this == CREATE_OR_UPDATE_IF_MATCH_ETAG || this == UPDATE_IF_MATCH_ETAG || this == DELETE_IF_MATCH_ETAG
                || this == UPDATE_TWIN_IF_MATCH_ETAG;
    }
}
