package lab.devicetwins.localhub.attack;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import lab.devicetwins.localhub.sdk.ServiceRestClient;

/**
 * One REST call of the service API, sent with whatever {@code Authorization} a test chooses. Every call waits at most
 * {@link #ANSWER_BOUND} for the hub's answer, so a hub that hangs fails the test instead of stalling it.
 *
 * @param ifMatch sent as {@code If-Match} when not null
 */
public record ServiceOperation(String method, String path, String body, String ifMatch) {
    public static final Duration ANSWER_BOUND = Duration.ofSeconds(10);

    public static ServiceOperation of(String method, String path) {
        return new ServiceOperation(method, path, null, null);
    }

    public static ServiceOperation of(String method, String path, String body) {
        return new ServiceOperation(method, path, body, null);
    }

    /** The request without any {@code Authorization} header. */
    public HttpRequest.Builder request(ServiceRestClient rest) {
        HttpRequest.Builder request = rest.request(path).timeout(ANSWER_BOUND);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return request.header("Content-Type", "application/json; charset=utf-8")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
    }

    /** Sends the call with this {@code Authorization} header, or none when null. */
    public HttpResponse<byte[]> sendWith(ServiceRestClient rest, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(rest);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return rest.sendForBytes(request);
    }

    @Override
    public String toString() {
        return method + " " + path + (ifMatch == null ? "" : " (If-Match " + ifMatch + ")");
    }
}
