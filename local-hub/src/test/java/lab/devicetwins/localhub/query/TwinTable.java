package lab.devicetwins.localhub.query;

import com.google.gson.JsonObject;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The twins a test queries, held in memory in device id order as the hub holds them. Each page of a query reads the
 * twins as they are at that moment, so tests can change them between pages.
 */
final class TwinTable implements TwinSource {

    private final NavigableMap<String, JsonObject> twins = new TreeMap<>();

    /** Adds or replaces a twin (a copy: later changes to the argument do not reach the table). */
    TwinTable put(JsonObject twin) {
        twins.put(twin.get("deviceId").getAsString(), twin.deepCopy());
        return this;
    }

    void delete(String deviceId) {
        twins.remove(deviceId);
    }

    @Override
    public Iterable<QueryRow> after(String lastDeviceId) {
        NavigableMap<String, JsonObject> rows = lastDeviceId == null ? twins : twins.tailMap(lastDeviceId, false);
        return () -> rows.values().stream().map(QueryRow::of).iterator();
    }
}
