package lab.devicetwins.localhub.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubTooManyRequestsException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.localhub.realism.Tier;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On an S1 hub the inspector serves the tier's profile with its throttles' rates, and counts what the throttles let
 * through and refused: a burst of queries through the service SDK above the quota shows up as its 429s.
 */
class InspectorThrottlesOverHttpTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).mqttPort(0).inspectorPort(0)
            .profile(HubProfile.of(Tier.S1, 1).withShapingLimit(Duration.ZERO).withQueryLag(Duration.ZERO)
                    .withIdentityPropagation(Duration.ZERO)));

    private InspectorHttp http;

    @BeforeEach
    void connect() {
        http = new InspectorHttp(localHub.hub().inspectorUrl().orElseThrow());
    }

    private JsonObject get(String path) throws Exception {
        InspectorHttp.Response response = http.send("GET", path, null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    private static Map<String, JsonObject> byOperation(JsonObject body) {
        Map<String, JsonObject> rows = new HashMap<>();
        for (JsonElement row : body.getAsJsonArray("operations")) {
            rows.put(row.getAsJsonObject().get("operation").getAsString(), row.getAsJsonObject());
        }
        return rows;
    }

    @Test
    void the_profile_names_the_tier_and_gives_each_throttle_its_rate_and_documented_quota() throws Exception {
        JsonObject profile = get("/api/hub").getAsJsonObject("profile");

        assertThat(profile.get("title").getAsString()).isEqualTo("S1 x 1 unit");
        assertThat(profile.get("throttles").getAsBoolean()).isTrue();
        List<String> knobs = profile.getAsJsonArray("knobs").asList().stream()
                .map(k -> k.getAsJsonObject().get("name").getAsString()).toList();
        assertThat(knobs).contains("profile", "shaping limit", "query lag").doesNotContain("queries");
        JsonObject queries = byOperation(profile).get("queries");
        assertThat(queries.get("rate").getAsString()).isEqualTo("0.33/s (burst 20)");
        assertThat(queries.get("source").getAsString()).isEqualTo("20/min/unit x 1 unit");
        assertThat(byOperation(profile)).containsKeys("registry", "twin-reads", "twin-updates", "methods");
    }

    @Test
    void a_burst_of_queries_over_the_quota_shows_its_refusals_in_the_served_counts() throws Exception {
        QueryClient queries = new OfficialSdks(localHub.hub()).queries();
        int answered = 0;
        int refused = 0;
        for (int i = 0; i < 25; i++) {
            try {
                queries.queryTwins("SELECT * FROM devices");
                answered++;
            } catch (IotHubTooManyRequestsException e) {
                refused++;
            }
        }

        JsonObject counts = byOperation(get("/api/throttles")).get("queries");
        assertThat(refused).as("20 a minute, all at once when idle").isPositive();
        assertThat(counts.get("throttled").getAsLong()).isEqualTo(refused);
        assertThat(counts.get("admitted").getAsLong() + counts.get("shaped").getAsLong()).isEqualTo(answered);
        assertThat(counts.get("shaped").getAsLong()).as("a shaping limit of 0 holds nothing").isZero();
    }
}
