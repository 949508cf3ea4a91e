package lab.devicetwins.localhub.core;

import com.google.gson.JsonObject;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.twin.TwinDocument;

/** Writes a twin as the JSON document IoT Hub's query language is defined over (the service's view of a twin). */
@FunctionalInterface
public interface TwinRenderer {
    JsonObject render(DeviceIdentity identity, TwinDocument twin);
}
