package lab.devicetwins.localhub.registry;

/**
 * What a create or update of a device asks for. Keys may be null, in which case the hub makes them (create) or keeps
 * the current ones (update).
 */
public record DeviceRequest(String deviceId, DeviceStatus status, String statusReason, String primaryKey,
                            String secondaryKey, boolean iotEdge) {
}
