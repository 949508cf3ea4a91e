package lab.devicetwins.tutorial.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code hub.env} file a local hub started from the command line writes into its data directory: one
 * {@code KEY=VALUE} per line, the connection strings and the files a client needs to trust the hub.
 * The same lines can be loaded into a shell ({@code set -a; . .localhub/hub.env; set +a}).
 */
public record HubEnvFile(Path path, Map<String, String> values) {

    public static final String OWNER_CONNECTION_STRING = "IOTHUB_CONNECTION_STRING";
    public static final String DEVICE_CONNECTION_STRING = "IOTHUB_DEVICE_CONNECTION_STRING";
    public static final String SERVICE_CONNECTION_STRING = "IOTHUB_SERVICE_CONNECTION_STRING";
    public static final String CA_PEM = "LOCALHUB_CA_PEM";
    public static final String TRUSTSTORE = "LOCALHUB_TRUSTSTORE";
    public static final String TRUSTSTORE_PASSWORD = "LOCALHUB_TRUSTSTORE_PASSWORD";
    public static final String MQTT_PORT = "LOCALHUB_MQTT_PORT";
    public static final String HTTPS_PORT = "LOCALHUB_HTTPS_PORT";
    public static final String PROXY_PORT = "LOCALHUB_PROXY_PORT";

    public HubEnvFile {
        values = Map.copyOf(values);
    }

    /** Reads a hub.env file; blank lines and lines starting with {@code #} are skipped. */
    public static HubEnvFile read(Path path) {
        try {
            return parse(path, Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the local hub's settings from " + path, e);
        }
    }

    static HubEnvFile parse(Path path, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\\R")) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            // Only the first '=' separates: connection strings carry '=' in their own values.
            int separator = trimmed.indexOf('=');
            if (separator <= 0) {
                throw new IllegalArgumentException(
                        path + " line " + lineNumber + ": expected KEY=VALUE but found '" + trimmed + "'");
            }
            values.put(trimmed.substring(0, separator).strip(), unquote(trimmed.substring(separator + 1).strip()));
        }
        return new HubEnvFile(path, values);
    }

    /**
     * The hub writes values in single quotes, so that a shell can source the file ({@code ;} ends a command);
     * a quote inside a value is written {@code '\''}, as a shell expects it.
     */
    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
            return value.substring(1, value.length() - 1).replace("'\\''", "'");
        }
        return value;
    }

    /** The value of a key, empty when the key is missing or has no value. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).filter(value -> !value.isEmpty());
    }

    /** A path value, resolved against the directory of this file when it is relative. */
    public Optional<Path> path(String key) {
        return get(key).map(Path::of).map(p -> p.isAbsolute() ? p : path.toAbsolutePath().getParent().resolve(p));
    }

    public Optional<Integer> port(String key) {
        return get(key).map(value -> {
            try {
                return Integer.valueOf(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(path + ": " + key + " must be a port number, not '" + value + "'", e);
            }
        });
    }
}
