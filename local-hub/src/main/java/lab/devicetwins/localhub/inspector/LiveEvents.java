package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import lab.devicetwins.localhub.core.TwinChangeFeed;
import lab.devicetwins.localhub.http.TwinView;
import lab.devicetwins.localhub.twin.HubTimestamp;

/**
 * The page's live updates: every committed change from the core's {@link TwinChangeFeed}, as a Server-Sent Event
 * ({@code event: change}), and the twins' history. The feed calls on the committing thread; this only queues the
 * change onto the inspector's own event loop, where the diff is computed, the history kept and the browsers written
 * to. A browser that falls behind (its send queue full) is disconnected; its {@code EventSource} reconnects and the
 * page reloads what it shows.
 */
final class LiveEvents implements TwinChangeFeed.Listener {
    private static final Logger LOG = Logger.getLogger(LiveEvents.class.getName());
    private static final long HEARTBEAT_MILLIS = 15_000;

    private final Vertx vertx;
    private final Context context;
    private final TwinHistory history;
    private final List<HttpServerResponse> browsers = new ArrayList<>();
    private final long heartbeat;

    LiveEvents(Vertx vertx, Context context, TwinHistory history) {
        this.vertx = vertx;
        this.context = context;
        this.history = history;
        // a comment line now and then: proxies keep the stream open, and a closed tab is noticed
        this.heartbeat = vertx.setPeriodic(HEARTBEAT_MILLIS, t -> context.runOnContext(v -> send(": keep-alive\n\n")));
    }

    @Override
    public void changed(TwinChangeFeed.Change change) {
        context.runOnContext(v -> {
            try {
                JsonObject event = event(change);
                if (change.kind() != TwinChangeFeed.Kind.CONNECTION) {
                    history.add(change.key(), historyEntry(event));
                }
                send("event: change\ndata: " + event + "\n\n");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not pass a change on to the inspector", e);
            }
        });
    }

    /** The change as the page reads it; {@code changes} lists each value that differs, for the highlight. */
    static JsonObject event(TwinChangeFeed.Change change) {
        JsonObject event = new JsonObject();
        event.addProperty("key", change.key());
        event.addProperty("deviceId", change.identity().deviceId());
        if (change.identity().isModule()) {
            event.addProperty("moduleId", change.identity().moduleId());
        }
        event.addProperty("kind", change.kind().name().toLowerCase(Locale.ROOT));
        event.addProperty("writer", change.writer().name().toLowerCase(Locale.ROOT));
        event.addProperty("at", HubTimestamp.format(change.at()));
        event.addProperty("version", change.after().version());
        event.addProperty("desiredVersion", change.after().desiredVersion());
        event.addProperty("reportedVersion", change.after().reportedVersion());
        JsonArray changes = new JsonArray();
        if (change.before() != null && change.before() != change.after()) {
            TwinDiff.between(change.before(), change.after()).forEach(c -> changes.add(c.toJson()));
        }
        event.add("changes", changes);
        if (change.kind() != TwinChangeFeed.Kind.DELETED) {
            event.add("twin", TwinView.of(change.identity(), change.after()));
        }
        return event;
    }

    private static JsonObject historyEntry(JsonObject event) {
        JsonObject entry = event.deepCopy();
        entry.remove("twin");
        return entry;
    }

    /** A browser opened the stream: headers now, events from here on. */
    void open(HttpServerResponse response) {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        response.write("retry: 2000\n: connected\n\n");
        context.runOnContext(v -> browsers.add(response));
        response.closeHandler(v -> context.runOnContext(x -> browsers.remove(response)));
    }

    private void send(String text) {
        for (HttpServerResponse browser : List.copyOf(browsers)) {
            if (browser.closed() || browser.ended()) {
                browsers.remove(browser);
            } else if (browser.writeQueueFull()) {
                browsers.remove(browser);
                browser.reset();
            } else {
                browser.write(text);
            }
        }
    }

    void close() {
        vertx.cancelTimer(heartbeat);
        context.runOnContext(v -> {
            browsers.forEach(b -> {
                if (!b.closed() && !b.ended()) {
                    b.end();
                }
            });
            browsers.clear();
        });
    }
}
