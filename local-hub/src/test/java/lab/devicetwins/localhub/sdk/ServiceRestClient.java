package lab.devicetwins.localhub.sdk;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.auth.SasToken;

/**
 * The hub's REST API called the way an SDK other than Java's would: {@code java.net.http} straight to the HTTPS port,
 * with real SAS tokens. For the requests the Java service SDK never sends (real PATCH, quoted If-Match, encoded ids,
 * broken bodies, wrong rights).
 */
public final class ServiceRestClient {
    private final LocalHub hub;
    private final HttpClient http;

    public ServiceRestClient(LocalHub hub) {
        this.hub = hub;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(hub.clientSslContext())
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** A service token for a policy of the hub, signed as the Java service SDK signs it, valid for an hour. */
    public String tokenFor(String policyName) {
        return tokenFor(policyName, Instant.now().plusSeconds(3600));
    }

    public String tokenFor(String policyName, Instant expiry) {
        return SasToken.create(hub.hostName().toLowerCase(Locale.ROOT), keyOf(hub.policyConnectionString(policyName)),
                policyName, expiry);
    }

    /** The {@code SharedAccessKey} of a connection string. */
    public static String keyOf(String connectionString) {
        for (String part : connectionString.split(";")) {
            if (part.startsWith("SharedAccessKey=")) {
                return part.substring("SharedAccessKey=".length());
            }
        }
        throw new IllegalArgumentException("no SharedAccessKey in " + connectionString);
    }

    /** A request to {@code https://{host}:{httpsPort}{pathAndQuery}}; the path is sent exactly as given. */
    public HttpRequest.Builder request(String pathAndQuery) {
        String separator = pathAndQuery.contains("?") ? "&" : "?";
        return HttpRequest.newBuilder(URI.create("https://" + hub.hostName() + ":" + hub.httpsPort() + pathAndQuery
                        + separator + "api-version=2021-04-12"))
                .timeout(Duration.ofSeconds(30));
    }

    /** A request signed with the owner policy, carrying a JSON body when one is given. */
    public HttpRequest.Builder asOwner(String method, String pathAndQuery, String jsonBodyOrNull) {
        HttpRequest.Builder builder = request(pathAndQuery).header("Authorization", tokenFor("iothubowner"));
        if (jsonBodyOrNull == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.header("Content-Type", "application/json; charset=utf-8")
                .method(method, HttpRequest.BodyPublishers.ofString(jsonBodyOrNull));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends and keeps the body as bytes, so a test can check they are UTF-8 at all. */
    public HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> send(String method, String pathAndQuery, String jsonBodyOrNull)
            throws IOException, InterruptedException {
        return send(asOwner(method, pathAndQuery, jsonBodyOrNull));
    }

    public static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    /** The error object inside IoT Hub's nested error body {@code {"Message":"{\"errorCode\":…}"}}. */
    public static JsonObject innerError(HttpResponse<String> response) {
        JsonElement message = json(response).get("Message");
        return JsonParser.parseString(message.getAsString()).getAsJsonObject();
    }
}
