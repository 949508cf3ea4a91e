package lab.devicetwins.localhub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code hub.env}: what a running hub tells the apps in other terminals — connection strings, trust material, ports —
 * as {@code KEY=VALUE} lines that a shell can {@code source} and the tutorial's {@code shared} module reads.
 */
public final class HubEnvFile {
    public static final String FILE_NAME = "hub.env";

    private HubEnvFile() {
    }

    public static Map<String, String> entries(LocalHub hub) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("IOTHUB_CONNECTION_STRING", hub.ownerConnectionString());
        env.put("IOTHUB_DEVICE_CONNECTION_STRING", deviceConnectionStringOrEmpty(hub));
        env.put("IOTHUB_SERVICE_CONNECTION_STRING", hub.serviceConnectionString());
        env.put("LOCALHUB_CA_PEM", hub.caPemFile().map(p -> p.toAbsolutePath().toString()).orElse(""));
        env.put("LOCALHUB_TRUSTSTORE", hub.trustStoreFile().map(p -> p.toAbsolutePath().toString()).orElse(""));
        env.put("LOCALHUB_TRUSTSTORE_PASSWORD", new String(hub.trustStorePassword()));
        env.put("LOCALHUB_MQTT_PORT", Integer.toString(hub.mqttPort()));
        env.put("LOCALHUB_HTTPS_PORT", Integer.toString(hub.httpsPort()));
        env.put("LOCALHUB_PROXY_PORT", hub.proxyAddress().map(a -> Integer.toString(a.getPort())).orElse(""));
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

    /** Connection strings contain {@code ;} and {@code =}: single-quote values so {@code source hub.env} works. */
    static String shellQuote(String value) {
        if (value.isEmpty()) {
            return "";
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Reads a file written by {@link #write}; tolerates comments, blank lines and unquoted values. */
    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = trimmed.substring(eq + 1);
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = value.substring(1, value.length() - 1).replace("'\\''", "'");
            }
            env.put(trimmed.substring(0, eq), value);
        }
        return env;
    }
}
