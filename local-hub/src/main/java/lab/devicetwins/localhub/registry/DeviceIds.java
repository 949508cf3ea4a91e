package lab.devicetwins.localhub.registry;

import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/** The identity registry's rules for device and module ids: case-sensitive, at most 128 ASCII characters of a fixed set. */
public final class DeviceIds {
    private static final int MAX_LENGTH = 128;
    private static final String ALLOWED_PUNCTUATION = "-.+%_#*?!(),=@$':;";

    private DeviceIds() {
    }

    /** Throws {@link HubException} (400) naming the first offending character. */
    public static String requireValid(String deviceId) {
        return requireValid(deviceId, "deviceId");
    }

    /** A module id follows the same rules as a device id; throws {@link HubException} (400) naming what is wrong. */
    public static String requireValidModule(String moduleId) {
        return requireValid(moduleId, "moduleId");
    }

    private static String requireValid(String deviceId, String what) {
        if (deviceId == null || deviceId.isEmpty()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, what + " is required");
        }
        if (deviceId.length() > MAX_LENGTH) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID,
                    what + " is " + deviceId.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        for (int i = 0; i < deviceId.length(); i++) {
            char c = deviceId.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ALLOWED_PUNCTUATION.indexOf(c) >= 0;
            if (!ok) {
                throw new HubException(HubErrorCode.ARGUMENT_INVALID, what + " '" + deviceId
                        + "' contains '" + c + "' at position " + i
                        + "; allowed are ASCII letters, digits and " + ALLOWED_PUNCTUATION);
            }
        }
        return deviceId;
    }
}
