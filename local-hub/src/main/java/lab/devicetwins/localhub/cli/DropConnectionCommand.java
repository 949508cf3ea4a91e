package lab.devicetwins.localhub.cli;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.auth.SasToken;
import lab.devicetwins.localhub.tls.DevelopmentCaTrust;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drop-connection}: asks the running hub (found through the hub.env of its data directory) to end a device's
 * or module's MQTT connection, as a network failure would, through its HTTPS API
 * ({@code POST /localhub/connections/{id}/drop}) with the owner policy of that hub.env.
 */
@Command(name = "drop-connection", mixinStandardHelpOptions = true,
        description = "Drop the MQTT connection of a device (or module) of the running hub, as a network failure "
                + "would, to watch the app reconnect; optionally refuse its reconnects for a while.")
final class DropConnectionCommand implements Callable<Integer> {
    @Parameters(paramLabel = "deviceId", description = "the device whose connection to drop")
    String deviceId;

    @Option(names = "--module", paramLabel = "MODULE", description = "drop the connection of this module of the device")
    String moduleId;

    @Option(names = "--refuse-for", paramLabel = "SECONDS", defaultValue = "0",
            description = "refuse its reconnects for this many seconds (\"server unavailable\", which the SDKs retry) "
                    + "(default: ${DEFAULT-VALUE})")
    long refuseForSeconds;

    @Option(names = "--data-dir", description = "the running hub's data directory, holding its hub.env "
            + "(default: ${DEFAULT-VALUE})", defaultValue = ".localhub")
    Path dataDir;

    @Override
    public Integer call() {
        Path envPath = dataDir.resolve(HubEnvFile.FILE_NAME);
        if (!Files.isRegularFile(envPath)) {
            System.err.println("local-hub: no hub.env in " + dataDir.toAbsolutePath() + "; start the hub first "
                    + "(java -jar local-hub/target/local-hub.jar start) or pass its --data-dir");
            return 2;
        }
        try {
            HubEnvFile env = HubEnvFile.read(envPath);
            if (!env.writtenByRunningHub()) {
                System.err.println("local-hub: the hub that wrote " + envPath + " is no longer running; start it again");
                return 2;
            }
            HttpResponse<String> response = send(env);
            if (response.statusCode() == 200) {
                boolean wasConnected = JsonParser.parseString(response.body()).getAsJsonObject()
                        .get("wasConnected").getAsBoolean();
                String who = moduleId == null ? "device '" + deviceId + "'" : "module '" + deviceId + "/" + moduleId + "'";
                System.out.println(wasConnected ? "Dropped the MQTT connection of " + who + "."
                        : "The " + who + " was not connected; nothing to drop.");
                if (refuseForSeconds > 0) {
                    System.out.println("Its reconnects are refused for " + refuseForSeconds + " s.");
                }
                return 0;
            }
            System.err.println("local-hub: the hub answered " + response.statusCode() + ": " + response.body());
            return 1;
        } catch (IOException | RuntimeException e) {
            System.err.println("local-hub: cannot reach the hub: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private HttpResponse<String> send(HubEnvFile env) throws IOException, InterruptedException {
        Map<String, String> owner = parts(env.require(HubEnvFile.OWNER_CONNECTION_STRING));
        String host = owner.get("HostName");
        int port = env.port(HubEnvFile.HTTPS_PORT).orElse(443);
        String path = "/localhub/connections/" + encode(deviceId)
                + (moduleId == null ? "" : "/modules/" + encode(moduleId)) + "/drop";
        String token = SasToken.create(host.toLowerCase(Locale.ROOT), owner.get("SharedAccessKey"),
                owner.get("SharedAccessKeyName"), Instant.now().plus(Duration.ofMinutes(5)));
        HttpClient http = HttpClient.newBuilder()
                .sslContext(DevelopmentCaTrust.fromPemFile(env.path(HubEnvFile.CA_PEM)
                        .orElseThrow(() -> new IllegalStateException(env.path() + " names no CA certificate")))
                        .sslContext())
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + host + ":" + port + path
                        + "?api-version=2021-04-12"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"refuseReconnectSeconds\":" + refuseForSeconds + "}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> parts(String connectionString) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : connectionString.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return parts;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
