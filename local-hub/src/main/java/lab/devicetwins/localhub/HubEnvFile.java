package lab.devicetwins.localhub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code hub.env}: what a running hub tells the apps in other terminals — connection strings, trust material, ports,
 * its process id — as {@code KEY=VALUE} lines that a shell can {@code source} and the tutorial's {@code shared} module
 * reads. {@link #write} writes it; {@link #read} reads it back.
 *
 * <p>Reading is strict: every line that is neither blank nor a {@code #} comment must be {@code KEY=VALUE} with a
 * shell variable name as its key and, when quoted, a complete single-quoted value. Anything else fails with an
 * {@link IllegalArgumentException} that names the file and the line. The hub replaces the file atomically, so a line
 * it cannot read was not written by a hub: an edit, another tool, or another file under this name. Skipping that line
 * would only move the failure to later and make it vaguer ("no connection string", a wrong port), where the user can
 * no longer see which line to fix.
 */
public final class HubEnvFile {
    public static final String FILE_NAME = "hub.env";

    /** The {@code iothubowner} policy's connection string: every right, including creating devices. */
    public static final String OWNER_CONNECTION_STRING = "IOTHUB_CONNECTION_STRING";
    /** The default device's connection string; empty when that device was deleted. */
    public static final String DEVICE_CONNECTION_STRING = "IOTHUB_DEVICE_CONNECTION_STRING";
    /** The article's least-privilege policy (ServiceConnect + RegistryRead). */
    public static final String SERVICE_CONNECTION_STRING = "IOTHUB_SERVICE_CONNECTION_STRING";
    /** Absolute path of the development CA certificate (PEM); empty for a hub without a data directory. */
    public static final String CA_PEM = "LOCALHUB_CA_PEM";
    /** Absolute path of a PKCS#12 trust store holding that CA. */
    public static final String TRUSTSTORE = "LOCALHUB_TRUSTSTORE";
    public static final String TRUSTSTORE_PASSWORD = "LOCALHUB_TRUSTSTORE_PASSWORD";
    public static final String MQTT_PORT = "LOCALHUB_MQTT_PORT";
    public static final String HTTPS_PORT = "LOCALHUB_HTTPS_PORT";
    /** The CONNECT proxy's port; empty when the hub runs without one. */
    public static final String PROXY_PORT = "LOCALHUB_PROXY_PORT";
    /**
     * The inspector's address with this start's secret ({@code http://127.0.0.1:{port}/?token=…}); empty when the hub
     * runs without it.
     */
    public static final String INSPECTOR_URL = "INSPECTOR_URL";
    /** The process that runs the hub: tells a file of this run from one a stopped or killed hub left behind. */
    public static final String PID = "LOCALHUB_PID";

    /** What a shell accepts as a variable name; anything else on the left of '=' is not an assignment to it. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Path path;
    private final Map<String, String> values;

    private HubEnvFile(Path path, Map<String, String> values) {
        this.path = path;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The lines {@link #write} writes for {@code hub}, in the file's order, values unquoted. */
    public static Map<String, String> entries(LocalHub hub) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(OWNER_CONNECTION_STRING, hub.ownerConnectionString());
        env.put(DEVICE_CONNECTION_STRING, deviceConnectionStringOrEmpty(hub));
        env.put(SERVICE_CONNECTION_STRING, hub.serviceConnectionString());
        env.put(CA_PEM, hub.caPemFile().map(p -> p.toAbsolutePath().toString()).orElse(""));
        env.put(TRUSTSTORE, hub.trustStoreFile().map(p -> p.toAbsolutePath().toString()).orElse(""));
        env.put(TRUSTSTORE_PASSWORD, new String(hub.trustStorePassword()));
        env.put(MQTT_PORT, Integer.toString(hub.mqttPort()));
        env.put(HTTPS_PORT, Integer.toString(hub.httpsPort()));
        env.put(PROXY_PORT, hub.proxyAddress().map(a -> Integer.toString(a.getPort())).orElse(""));
        env.put(INSPECTOR_URL, hub.inspectorUrl().orElse(""));
        env.put(PID, Long.toString(ProcessHandle.current().pid()));
        return env;
    }

    private static String deviceConnectionStringOrEmpty(LocalHub hub) {
        try {
            return hub.deviceConnectionString(LocalHub.DEFAULT_DEVICE_ID);
        } catch (IllegalArgumentException deleted) {
            return "";
        }
    }

    /** Writes {@code dir/hub.env} atomically (readers never see half a file); returns its path. */
    public static Path write(Path dir, LocalHub hub) throws IOException {
        StringBuilder text = new StringBuilder("# Written by the local IoT Hub on start; valid while it runs.\n");
        entries(hub).forEach((k, v) -> text.append(k).append('=').append(shellQuote(v)).append('\n'));
        Files.createDirectories(dir);
        Path target = dir.resolve(FILE_NAME);
        Path temp = dir.resolve(FILE_NAME + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /**
     * Connection strings contain {@code ;} and {@code =}: single-quote values so {@code source hub.env} works.
     *
     * @throws IllegalArgumentException for a value with a line break, which would end its line early
     */
    static String shellQuote(String value) {
        if (value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a hub.env value cannot contain a line break: " + value);
        }
        if (value.isEmpty()) {
            return "";
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /**
     * Reads a hub.env file: blank lines and {@code #} comments are skipped, a key given twice keeps its last value
     * (as in a shell), values lose the single quotes {@link #write} put around them.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if a line is not {@code KEY=VALUE}; the message names the file and the line
     */
    public static HubEnvFile read(Path file) throws IOException {
        return parse(file, Files.readString(file, StandardCharsets.UTF_8));
    }

    /** As {@link #read}, from text already read from {@code file}. */
    static HubEnvFile parse(Path file, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        int lineNumber = 0;
        // Lines end at '\n' as a shell reads them; strip() drops the '\r' of a file edited on Windows.
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            // Only the first '=' separates: connection strings carry '=' in their own values.
            int separator = trimmed.indexOf('=');
            String key = separator < 0 ? "" : trimmed.substring(0, separator).strip();
            if (!KEY.matcher(key).matches()) {
                throw malformed(file, lineNumber, "expected KEY=VALUE but found '" + trimmed + "'");
            }
            String value = unquote(trimmed.substring(separator + 1).strip());
            if (value == null) {
                throw malformed(file, lineNumber, "the value of " + key + " opens a single quote it does not close");
            }
            values.put(key, value);
        }
        return new HubEnvFile(file, values);
    }

    private static IllegalArgumentException malformed(Path file, int lineNumber, String problem) {
        return new IllegalArgumentException(file + " line " + lineNumber + ": " + problem);
    }

    /**
     * A value as a shell reads it when it is written the way {@link #shellQuote} writes: single-quoted, a quote
     * inside written {@code '\''}. Unquoted values are taken as they are. Null when a quote is left open.
     */
    private static String unquote(String value) {
        if (!value.startsWith("'")) {
            return value;
        }
        StringBuilder unquoted = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            if (value.charAt(i) == '\'') {
                int close = value.indexOf('\'', i + 1);
                if (close < 0) {
                    return null;
                }
                unquoted.append(value, i + 1, close);
                i = close + 1;
            } else if (value.startsWith("\\'", i)) {
                unquoted.append('\'');
                i += 2;
            } else {
                unquoted.append(value.charAt(i));
                i++;
            }
        }
        return unquoted.toString();
    }

    /** The file this was read from. */
    public Path path() {
        return path;
    }

    /** Every key with its value (possibly empty), in the order of the file. */
    public Map<String, String> values() {
        return values;
    }

    /** The value of a key; empty when the key is missing or has no value. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).filter(value -> !value.isEmpty());
    }

    /**
     * The value of a key that has to be there.
     *
     * @throws IllegalStateException naming the file and the key when it is missing or empty
     */
    public String require(String key) {
        return get(key).orElseThrow(() -> new IllegalStateException(path + " has no value for " + key));
    }

    /** A path value, resolved against the directory of this file when it is relative. */
    public Optional<Path> path(String key) {
        return get(key).map(Path::of).map(p -> p.isAbsolute() ? p : path.toAbsolutePath().getParent().resolve(p));
    }

    /**
     * A port (or other number) value.
     *
     * @throws IllegalArgumentException naming the file and the key when the value is not a number
     */
    public Optional<Integer> port(String key) {
        return get(key).map(value -> {
            try {
                return Integer.valueOf(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(path + ": " + key + " must be a port number, not '" + value + "'", e);
            }
        });
    }

    /**
     * Whether the hub that wrote this file still runs: false for a file a stopped or killed hub left behind (its
     * {@link #PID} is no live process); true when the file names no process.
     */
    public boolean writtenByRunningHub() {
        return get(PID).map(pid -> {
            try {
                return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
            } catch (NumberFormatException e) {
                return false;
            }
        }).orElse(true);
    }

    @Override
    public String toString() {
        return "HubEnvFile[" + path + ", keys=" + values.keySet() + "]";
    }
}
