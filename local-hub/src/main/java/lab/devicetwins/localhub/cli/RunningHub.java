package lab.devicetwins.localhub.cli;

import com.google.gson.JsonObject;
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
import java.util.function.Consumer;
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

    private static RunningHub in(Path dataDir) throws NotRunning, IOException {
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

    /**
     * What a command that talks to the running hub does: POSTs {@code json} to {@code path} of the hub whose hub.env
     * is in {@code dataDir}, hands a 200 answer's JSON to {@code onSuccess}, and says everything else on standard
     * error. Returns the command's exit code: 0 done, 1 the hub refused or could not be reached, 2 no running hub.
     */
    static int call(Path dataDir, String path, String json, Consumer<JsonObject> onSuccess) {
        try {
            HttpResponse<String> response = in(dataDir).post(path, json);
            if (response.statusCode() == 200) {
                onSuccess.accept(JsonParser.parseString(response.body()).getAsJsonObject());
                return 0;
            }
            System.err.println("local-hub: the hub answered " + response.statusCode() + ": " + response.body());
            return 1;
        } catch (NotRunning e) {
            System.err.println("local-hub: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            System.err.println("local-hub: cannot reach the hub: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** POSTs a JSON body to a path of the hub's REST API (segments already encoded with {@link #segment}). */
    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
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
