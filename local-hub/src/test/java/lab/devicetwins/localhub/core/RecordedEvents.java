package lab.devicetwins.localhub.core;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The device events the core raised, as lines: {@code "dev1 {…notification…}"} or {@code "dev1 revoked"}. */
final class RecordedEvents implements DeviceEvents {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void desiredPropertiesChanged(String deviceId, JsonObject notification) {
        lines.add(deviceId + " " + notification);
    }

    @Override
    public void deviceAccessRevoked(String deviceId) {
        lines.add(deviceId + " revoked");
    }
}
