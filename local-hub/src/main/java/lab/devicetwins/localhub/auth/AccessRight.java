package lab.devicetwins.localhub.auth;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.stream.Collectors;

/** The four permissions a shared access policy can grant, as IoT Hub names them. */
public enum AccessRight {
    REGISTRY_READ("RegistryRead"),
    REGISTRY_WRITE("RegistryWrite"),
    SERVICE_CONNECT("ServiceConnect"),
    DEVICE_CONNECT("DeviceConnect");

    private final String wireName;

    AccessRight(String wireName) {
        this.wireName = wireName;
    }

    /** The name IoT Hub uses in policies and in the portal: {@code RegistryRead}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Reads a comma-separated list of rights in the form Azure shows them ({@code "RegistryRead, ServiceConnect"}).
     * Names are matched case-insensitively; an empty or blank text is the empty set.
     *
     * @throws IllegalArgumentException naming the unknown entry, its position and the valid names
     */
    public static EnumSet<AccessRight> parseList(String s) {
        if (s == null) {
            throw new IllegalArgumentException("access right list is missing; expected e.g. \"RegistryRead, ServiceConnect\"");
        }
        EnumSet<AccessRight> rights = EnumSet.noneOf(AccessRight.class);
        if (s.isBlank()) {
            return rights;
        }
        String[] entries = s.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            rights.add(parseOne(entries[i].trim(), i + 1, s));
        }
        return rights;
    }

    private static AccessRight parseOne(String entry, int position, String list) {
        for (AccessRight right : values()) {
            if (right.wireName.equalsIgnoreCase(entry)) {
                return right;
            }
        }
        String what = entry.isEmpty() ? "an empty entry" : "unknown access right '" + entry + "'";
        throw new IllegalArgumentException(what + " at position " + position + " in \"" + list
                + "\"; expected a comma-separated list of " + validNames());
    }

    private static String validNames() {
        return Arrays.stream(values()).map(AccessRight::wireName).collect(Collectors.joining(", "));
    }

    /** Formats rights the way {@link #parseList(String)} reads them, in declaration order. */
    public static String formatList(Collection<AccessRight> rights) {
        EnumSet<AccessRight> ordered = EnumSet.noneOf(AccessRight.class);
        ordered.addAll(rights);
        return ordered.stream().map(AccessRight::wireName).collect(Collectors.joining(", "));
    }
}
