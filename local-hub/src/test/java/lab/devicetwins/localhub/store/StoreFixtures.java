package lab.devicetwins.localhub.store;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.List;
import lab.devicetwins.localhub.registry.Authentication;
import lab.devicetwins.localhub.registry.ConnectionState;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceStatus;
import lab.devicetwins.localhub.twin.TwinDocument;
import lab.devicetwins.localhub.twin.TwinLimits;

/** Identities and twins with every field set, for store tests. */
final class StoreFixtures {
    static final Instant T0 = Instant.parse("2026-11-30T10:15:30.1234567Z");

    private StoreFixtures() {
    }

    static DeviceIdentity identity(String deviceId) {
        return new DeviceIdentity(deviceId, "637000000000000001", "MTIz", DeviceStatus.DISABLED, "maintenance", T0,
                new Authentication.SymmetricKey("AAAAAAAAAAAAAAAAAAAAAA==", "BBBBBBBBBBBBBBBBBBBBBB=="),
                ConnectionState.CONNECTED, T0.plusSeconds(1), T0.plusSeconds(2), true,
                "ms-azure-iot-edge://" + deviceId + "-637000000000000001", List.of(), "dtmi:com:example:Thermostat;1", null, null);
    }

    /** A twin that has been written by both sides: tags, desired and reported with metadata and versions. */
    static TwinDocument twin() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults());
        twin = twin.patchFromService(json("{\"location\":{\"region\":\"US\",\"plant\":\"Redmond43\"}}"),
                json("{\"interval\":30,\"mode\":{\"eco\":true}}"), T0.plusSeconds(3)).after();
        return twin.patchReported(json("{\"connectivity\":{\"type\":\"cellular\"},\"temp\":21.50}"), null,
                T0.plusSeconds(4)).after();
    }

    static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }
}
