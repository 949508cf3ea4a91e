package lab.devicetwins.localhub.registry;

/**
 * The one string that names an identity throughout the hub (directory, store, MQTT client id, events): a device's
 * id, or {@code {deviceId}/{moduleId}} for a module. Neither id may hold a {@code /} ({@link DeviceIds}), so a key
 * splits back unambiguously, and a device's modules sort together right after the keys below {@code {deviceId}/}.
 */
public final class IdentityKey {
    private IdentityKey() {
    }

    public static String of(String deviceId, String moduleId) {
        return moduleId == null ? deviceId : deviceId + "/" + moduleId;
    }

    public static boolean isModule(String key) {
        return key.indexOf('/') >= 0;
    }

    public static String deviceId(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash);
    }

    /** The module id of a module key; null for a device key. */
    public static String moduleId(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? null : key.substring(slash + 1);
    }

    /** The lowest key of the device's modules; every module key of the device sorts at or after it. */
    public static String firstModuleOf(String deviceId) {
        return deviceId + "/";
    }

    /** A key above every module key of the device ({@code 0} follows {@code /} in ASCII). */
    public static String pastModulesOf(String deviceId) {
        return deviceId + "0";
    }

    /** For messages: {@code device 'd'} or {@code module 'm' of device 'd'}. */
    public static String describe(String key) {
        String moduleId = moduleId(key);
        return moduleId == null ? "device '" + key + "'" : "module '" + moduleId + "' of device '" + deviceId(key) + "'";
    }
}
