/**
 * IoT Hub's device twin rules, without any I/O or wire format: {@link lab.devicetwins.localhub.twin.TwinDocument}
 * (merge, replace, versions, etag, {@code $metadata}, limits) and what a write yields
 * ({@link lab.devicetwins.localhub.twin.TwinChange}). The MQTT and HTTPS endpoints translate to and from these
 * calls; the store keeps {@link lab.devicetwins.localhub.twin.TwinDocument#toStoredJson()}.
 */
package lab.devicetwins.localhub.twin;
