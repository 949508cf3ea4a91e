package lab.devicetwins.localhub.log;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One line per HTTPS request and per MQTT connect, refusal and disconnect, so a user can see why a client was
 * refused. Off by default. Lines name the caller (policy or device id) but never a key, a signature or a token.
 *
 * <pre>
 * 2026-12-01T21:04:05.123Z https PATCH /twins/myDeviceId 200 - 3ms policy=iothubowner
 * 2026-12-01T21:04:06.001Z https GET /twins/other 401 401002 1ms policy=- reason=...
 * 2026-12-01T21:04:07.456Z mqtt connect myDeviceId accepted keepAlive=230s cleanSession=false
 * 2026-12-01T21:04:07.456Z mqtt refuse myDeviceId 5 reason=...
 * 2026-12-01T21:09:07.456Z mqtt disconnect myDeviceId reason=client closed
 * </pre>
 */
public final class RequestLog {
    /** Logs nothing. */
    public static final RequestLog OFF = new RequestLog(null, Clock.systemUTC());

    private final Consumer<String> sink;
    private final Clock clock;

    private RequestLog(Consumer<String> sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** A log that hands each line to {@code sink} (e.g. {@code System.out::println}). */
    public static RequestLog to(Consumer<String> sink, Clock clock) {
        return new RequestLog(Objects.requireNonNull(sink, "sink"), Objects.requireNonNull(clock, "clock"));
    }

    public boolean enabled() {
        return sink != null;
    }

    /** An answered HTTPS request; {@code errorCode} is null on success, {@code caller} null when unknown. */
    public void https(String method, String path, int status, Integer errorCode, long millis, String caller,
                      String reason) {
        if (sink == null) {
            return;
        }
        StringBuilder line = start("https").append(' ').append(clean(method)).append(' ').append(clean(path))
                .append(' ').append(status).append(' ').append(errorCode == null ? "-" : errorCode.toString())
                .append(' ').append(millis).append("ms policy=").append(caller == null ? "-" : clean(caller));
        if (reason != null) {
            line.append(" reason=").append(clean(reason));
        }
        sink.accept(line.toString());
    }

    public void mqttAccepted(String clientId, int keepAliveSeconds, boolean cleanSession) {
        if (sink != null) {
            sink.accept(start("mqtt").append(" connect ").append(clean(clientId)).append(" accepted keepAlive=")
                    .append(keepAliveSeconds).append("s cleanSession=").append(cleanSession).toString());
        }
    }

    public void mqttRefused(String clientId, int connackCode, String reason) {
        if (sink != null) {
            sink.accept(start("mqtt").append(" refuse ").append(clean(clientId)).append(' ').append(connackCode)
                    .append(" reason=").append(clean(reason)).toString());
        }
    }

    public void mqttDisconnected(String clientId, String reason) {
        if (sink != null) {
            sink.accept(start("mqtt").append(" disconnect ").append(clean(clientId)).append(" reason=")
                    .append(clean(reason)).toString());
        }
    }

    private StringBuilder start(String protocol) {
        return new StringBuilder(160).append(clock.instant()).append(' ').append(protocol);
    }

    /** Client-chosen text on one line: control characters become '?', and it is cut at 300 characters. */
    private static String clean(String text) {
        if (text == null) {
            return "-";
        }
        String cut = text.length() > 300 ? text.substring(0, 300) + "…" : text;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
