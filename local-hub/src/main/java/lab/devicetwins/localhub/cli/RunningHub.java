package lab.devicetwins.localhub.cli;

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
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.auth.SasToken;
import lab.devicetwins.localhub.tls.DevelopmentCaTrust;

/**
 * The hub another terminal runs, as the commands that talk to it find it: through the hub.env of its data directory
 * (refused when missing, or left behind by a hub that is no longer running), reached over HTTPS with that file's
 * owner policy and trusting its development CA.
 */
final class RunningHub {
    /** Why there is no running hub to talk to; the command exits 2 with this message. */
    static final class NotRunning extends Exception {
        NotRunning(String message) {
            super(message);
        }
    }

    private final HubEnvFile env;
    private final Map<String, String> owner;

    private RunningHub(HubEnvFile env) {
        this.env = env;
        this.owner = parts(env.require(HubEnvFile.OWNER_CONNECTION_STRING));
    }

    static RunningHub in(Path dataDir) throws NotRunning, IOException {
        Path envPath = dataDir.resolve(HubEnvFile.FILE_NAME);
        if (!Files.isRegularFile(envPath)) {
            throw new NotRunning("no hub.env in " + dataDir.toAbsolutePath() + "; start the hub first "
                    + "(java -jar local-hub/target/local-hub.jar start) or pass its --data-dir");
        }
        HubEnvFile env = HubEnvFile.read(envPath);
        if (!env.writtenByRunningHub()) {
            throw new NotRunning("the hub that wrote " + envPath + " is no longer running; start it again");
        }
        return new RunningHub(env);
    }

    /** POSTs a JSON body to a path of the hub's REST API (segments already encoded with {@link #segment}). */
    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        String host = owner.get("HostName");
        int port = env.port(HubEnvFile.HTTPS_PORT).orElse(443);
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
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
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
}
