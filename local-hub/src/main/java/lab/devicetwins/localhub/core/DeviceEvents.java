package lab.devicetwins.localhub.core;

import com.google.gson.JsonObject;

/** What the device-facing side needs to hear about: the MQTT endpoint implements it. */
public interface DeviceEvents {

    /** A committed desired-property change: the notification payload, including {@code $version}. */
    void desiredPropertiesChanged(String deviceId, JsonObject notification);

    /** The device was deleted, disabled or had its keys changed: its current connection must end. */
    void deviceAccessRevoked(String deviceId);

    DeviceEvents NONE = new DeviceEvents() {
        @Override
        public void desiredPropertiesChanged(String deviceId, JsonObject notification) {
        }

        @Override
        public void deviceAccessRevoked(String deviceId) {
        }
    };
}
