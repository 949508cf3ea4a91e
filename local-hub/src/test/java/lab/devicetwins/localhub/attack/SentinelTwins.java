package lab.devicetwins.localhub.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.sdk.ServiceRestClient;

/**
 * Devices whose twins nobody may touch during an attack: each has tags, desired properties (set by the service) and
 * reported properties (set by the device over MQTT), and is disconnected. Their {@code GET /twins/{id}} answers,
 * read with the owner policy, must stay the same byte for byte.
 */
public final class SentinelTwins {
    private final ServiceRestClient rest;
    private final List<String> deviceIds;

    private SentinelTwins(ServiceRestClient rest, List<String> deviceIds) {
        this.rest = rest;
        this.deviceIds = List.copyOf(deviceIds);
    }

    /** Creates the devices when the hub lacks them, fills their twins and waits until they show as disconnected. */
    public static SentinelTwins seed(LocalHub hub, List<String> deviceIds) throws Exception {
        ServiceRestClient rest = new ServiceRestClient(hub);
        for (String id : deviceIds) {
            if (rest.send("GET", "/devices/" + id, null).statusCode() == 404) {
                assertThat(rest.send("PUT", "/devices/" + id, "{\"deviceId\":\"" + id + "\"}").statusCode()).isEqualTo(200);
            }
            HttpResponse<String> patched = rest.send("PATCH", "/twins/" + id, "{\"tags\":{\"sentinel\":{\"id\":\"" + id
                    + "\",\"plant\":\"Redmond43\"}},\"properties\":{\"desired\":{\"interval\":30,\"limits\":{\"max\":[1,2,3]}}}}");
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            try (RawMqttDevice device = new RawMqttDevice(hub, id)) {
                device.connect(true);
                device.subscribe("$iothub/twin/res/#");
                device.publish("$iothub/twin/PATCH/properties/reported/?$rid=sentinel", "{\"firmware\":\"1.0.2\","
                        + "\"battery\":{\"level\":87,\"cells\":[\"a\",\"b\"]}}", 1);
                assertThat(device.nextResponse("sentinel").topic()).startsWith("$iothub/twin/res/204/");
                device.disconnect();
            }
        }
        SentinelTwins sentinels = new SentinelTwins(rest, deviceIds);
        sentinels.awaitDisconnected();
        return sentinels;
    }

    /**
     * Waits until every sentinel shows as disconnected: the hub records a device's goodbye after its connection
     * closed, so a test that connected as one must wait before the next test reads the twin as its starting point.
     */
    public void awaitDisconnected() {
        await().atMost(Duration.ofSeconds(30)).until(() -> read().values().stream()
                .allMatch(twin -> twin.contains("\"connectionState\":\"Disconnected\"")));
    }

    public List<String> deviceIds() {
        return deviceIds;
    }

    /** Every sentinel's twin as the owner reads it, by device id. */
    public Map<String, String> read() throws Exception {
        Map<String, String> twins = new LinkedHashMap<>();
        for (String id : deviceIds) {
            HttpResponse<String> twin = rest.send("GET", "/twins/" + id, null);
            assertThat(twin.statusCode()).as("the sentinel %s is still there: %s", id, twin.body()).isEqualTo(200);
            twins.put(id, twin.body());
        }
        return twins;
    }

    public void assertUnchanged(Map<String, String> before) throws Exception {
        assertThat(read()).as("the sentinel twins, byte for byte").isEqualTo(before);
    }

    /**
     * What a twin holds, without the fields the device's own connection moves ({@code connectionState},
     * {@code lastActivityTime}): etag, version, tags and properties as the owner reads them. For a device that
     * connects during a test, so only a change of its data counts.
     */
    public static String contentOf(LocalHub hub, String deviceId) throws Exception {
        HttpResponse<String> response = new ServiceRestClient(hub).send("GET", "/twins/" + deviceId, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject twin = ServiceRestClient.json(response);
        JsonObject kept = new JsonObject();
        for (String field : List.of("etag", "version", "tags", "properties")) {
            kept.add(field, twin.get(field));
        }
        return kept.toString();
    }
}
