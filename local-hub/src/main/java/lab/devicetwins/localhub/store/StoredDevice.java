package lab.devicetwins.localhub.store;

/** A device as read back from the database at start: the registry record and the twin, both JSON text. */
public record StoredDevice(String deviceId, String identityJson, String twinJson) {
}
