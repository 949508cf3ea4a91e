package lab.devicetwins.localhub.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A hub-level shared access policy: a name, two symmetric keys and the rights that any token signed with one of
 * those keys carries.
 *
 * @param name         the policy name, sent as {@code skn} in tokens and as {@code SharedAccessKeyName} in
 *                     connection strings
 * @param primaryKey   Base64 key
 * @param secondaryKey Base64 key
 * @param rights       what tokens signed with this policy may do
 */
public record SharedAccessPolicy(String name, String primaryKey, String secondaryKey, Set<AccessRight> rights) {

    /** Name of the policy that {@code Get started with device twins} asks learners to create. */
    public static final String SERVICE_AND_REGISTRY_READ = "serviceAndRegistryRead";

    private static final String WELL_KNOWN_KEY_SEED = "device-twins-lab:";

    public SharedAccessPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rights, "rights");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a shared access policy needs a name");
        }
        requireBase64Key(name, "primary", primaryKey);
        requireBase64Key(name, "secondary", secondaryKey);
        EnumSet<AccessRight> copy = EnumSet.noneOf(AccessRight.class);
        copy.addAll(rights);
        rights = Collections.unmodifiableSet(copy);
    }

    private static void requireBase64Key(String policy, String which, String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("policy '" + policy + "' needs a " + which + " key");
        }
        try {
            Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + which + " key of policy '" + policy + "' is not Base64", e);
        }
    }

    /** A policy whose keys are the {@linkplain #wellKnownKey well-known keys} for its name. */
    public static SharedAccessPolicy withWellKnownKeys(String name, Set<AccessRight> rights) {
        return new SharedAccessPolicy(name, wellKnownKey(name, true), wellKnownKey(name, false), rights);
    }

    /**
     * The policies every local hub starts with: the five IoT Hub creates for each new hub ({@code iothubowner},
     * {@code service}, {@code device}, {@code registryRead}, {@code registryReadWrite}) plus
     * {@value #SERVICE_AND_REGISTRY_READ} (ServiceConnect + RegistryRead), so the tutorial's connection string works
     * without a setup step. All use the well-known keys.
     */
    public static List<SharedAccessPolicy> defaults() {
        return List.of(
                withWellKnownKeys("iothubowner", EnumSet.allOf(AccessRight.class)),
                withWellKnownKeys("service", EnumSet.of(AccessRight.SERVICE_CONNECT)),
                withWellKnownKeys("device", EnumSet.of(AccessRight.DEVICE_CONNECT)),
                withWellKnownKeys("registryRead", EnumSet.of(AccessRight.REGISTRY_READ)),
                withWellKnownKeys("registryReadWrite", EnumSet.of(AccessRight.REGISTRY_READ, AccessRight.REGISTRY_WRITE)),
                withWellKnownKeys(SERVICE_AND_REGISTRY_READ, EnumSet.of(AccessRight.SERVICE_CONNECT, AccessRight.REGISTRY_READ)));
    }

    /**
     * The local hub's documented, published key for a policy, so connection strings can be written into docs
     * and samples (the same idea as Azurite's well-known account key; never a secret):
     * {@code Base64(SHA-256("device-twins-lab:" + name + ":" + ("primary" | "secondary")))}.
     */
    public static String wellKnownKey(String policyName, boolean primary) {
        String seed = WELL_KNOWN_KEY_SEED + policyName + ":" + (primary ? "primary" : "secondary");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    public boolean grants(AccessRight right) {
        return rights.contains(right);
    }

    /** Keeps keys out of logs and exception messages. */
    @Override
    public String toString() {
        return "SharedAccessPolicy[name=" + name + ", rights=" + AccessRight.formatList(rights) + "]";
    }
}
