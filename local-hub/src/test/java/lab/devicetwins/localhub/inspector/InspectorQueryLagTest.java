package lab.devicetwins.localhub.inspector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.realism.HubProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a hub with a query lag the inspector's query console answers as the query API does, from the index that trails
 * writes, while its device list is the registry's and shows a new device at once.
 */
class InspectorQueryLagTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).mqttPort(0).inspectorPort(0)
            .seedDevices(List.of()).profile(HubProfile.local().withQueryLag(Duration.ofSeconds(2))));

    private InspectorHttp http;

    @BeforeEach
    void connect() {
        http = new InspectorHttp(localHub.hub().inspectorUrl().orElseThrow());
    }

    private List<String> deviceIds(String path, String body) throws Exception {
        InspectorHttp.Response response = http.send(body == null ? "GET" : "POST", path, body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonElement item : JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("items")) {
            ids.add(item.getAsJsonObject().get("deviceId").getAsString());
        }
        return ids;
    }

    private List<String> queried() throws Exception {
        return deviceIds("/api/query", "{\"query\":\"SELECT deviceId FROM devices WHERE deviceId = 'console-lag'\"}");
    }

    @Test
    void a_device_created_is_listed_at_once_and_in_the_query_console_once_the_lag_has_passed() throws Exception {
        assertThat(http.send("POST", "/api/devices", "{\"deviceId\":\"console-lag\"}").status()).isEqualTo(201);

        assertThat(deviceIds("/api/identities", null)).contains("console-lag");
        assertThat(queried()).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(this::queried, ids -> ids.equals(List.of("console-lag")));
    }
}
