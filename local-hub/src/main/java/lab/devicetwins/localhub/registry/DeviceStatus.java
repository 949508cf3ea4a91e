package lab.devicetwins.localhub.registry;

import java.util.Locale;

/** Whether a device may connect. Wire form is lower case ({@code enabled}); parsing accepts any case. */
public enum DeviceStatus {
    ENABLED, DISABLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeviceStatus parse(String text) {
        for (DeviceStatus status : values()) {
            if (status.name().equalsIgnoreCase(text)) {
                return status;
            }
        }
        throw new IllegalArgumentException("status must be 'enabled' or 'disabled', not '" + text + "'");
    }
}
