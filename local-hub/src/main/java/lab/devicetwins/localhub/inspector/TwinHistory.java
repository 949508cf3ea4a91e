package lab.devicetwins.localhub.inspector;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The changes of each twin since the inspector started, newest last, in memory for the hub's lifetime. Bounded, so a
 * busy hub cannot grow it without end: at most {@link #PER_TWIN} entries per twin (older ones are dropped) and at most
 * {@link #TWINS} twins (the twin changed longest ago is forgotten first).
 */
final class TwinHistory {
    /** Entries kept per twin. */
    static final int PER_TWIN = 100;
    /** Twins with a history. */
    static final int TWINS = 1000;

    private final int perTwin;
    private final Map<String, Deque<JsonObject>> entries;

    TwinHistory() {
        this(PER_TWIN, TWINS);
    }

    TwinHistory(int perTwin, int twins) {
        this.perTwin = perTwin;
        this.entries = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<JsonObject>> eldest) {
                return size() > twins;
            }
        };
    }

    synchronized void add(String key, JsonObject entry) {
        Deque<JsonObject> twin = entries.remove(key);
        if (twin == null) {
            twin = new ArrayDeque<>();
        }
        twin.addLast(entry);
        while (twin.size() > perTwin) {
            twin.removeFirst();
        }
        entries.put(key, twin); // re-inserted: now the most recently changed
    }

    /** The twin's entries, oldest first; empty when it has none. */
    synchronized JsonArray of(String key) {
        JsonArray list = new JsonArray();
        Deque<JsonObject> twin = entries.get(key);
        if (twin != null) {
            twin.forEach(list::add);
        }
        return list;
    }

    synchronized int twins() {
        return entries.size();
    }
}
