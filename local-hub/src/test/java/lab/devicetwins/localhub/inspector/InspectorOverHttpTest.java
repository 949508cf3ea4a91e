package lab.devicetwins.localhub.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.registry.Authentication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The inspector's HTTP side without a browser: who is let in, and what its API answers. */
class InspectorOverHttpTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).mqttPort(0).inspectorPort(0));

    private InspectorHttp http;

    @BeforeEach
    void connect() {
        http = new InspectorHttp(localHub.hub().inspectorUrl().orElseThrow());
    }

    private Map<String, String> headers(String host, String origin, String cookieSecret) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", host);
        if (origin != null) {
            headers.put("Origin", origin);
        }
        if (cookieSecret != null) {
            headers.put("Cookie", "localhub_inspector_" + http.port() + "=" + cookieSecret);
        }
        return headers;
    }

    private static JsonObject json(InspectorHttp.Response response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    @Test
    void a_hub_built_in_code_runs_no_inspector_unless_asked() {
        try (LocalHub hub = LocalHub.builder().mqttPort(0).httpsPort(0).proxyPort(-1).start()) {
            assertThat(hub.inspectorUrl()).isEmpty();
        }
    }

    @Test
    void the_printed_url_is_loopback_with_a_token() {
        assertThat(localHub.hub().inspectorUrl().orElseThrow())
                .matches("http://127\\.[0-9.]+:[0-9]+/\\?token=[A-Za-z0-9_-]{43}");
    }

    @Test
    void opening_the_printed_url_moves_the_secret_into_an_http_only_strict_cookie_and_out_of_the_address() throws Exception {
        InspectorHttp.Response response = http.send("GET", "/?token=" + http.secret(),
                headers(http.ownHost(), null, null), null);

        assertThat(response.status()).isEqualTo(303);
        assertThat(response.header("Location")).isEqualTo("/");
        assertThat(response.header("Set-Cookie")).contains(http.secret()).contains("HttpOnly").contains("SameSite=Strict");
    }

    @Test
    void without_the_secret_the_page_and_the_api_answer_401() throws Exception {
        assertThat(http.send("GET", "/", headers(http.ownHost(), null, null), null).status()).isEqualTo(401);
        assertThat(http.send("GET", "/api/identities", headers(http.ownHost(), null, null), null).status())
                .isEqualTo(401);
    }

    @Test
    void a_wrong_secret_is_403_in_the_address_and_in_the_cookie() throws Exception {
        assertThat(http.send("GET", "/?token=not-the-secret", headers(http.ownHost(), null, null), null).status())
                .isEqualTo(403);
        assertThat(http.send("GET", "/api/identities", headers(http.ownHost(), null, "not-the-secret"), null).status())
                .isEqualTo(403);
    }

    @Test
    void a_foreign_host_is_refused_even_with_the_secret() throws Exception {
        InspectorHttp.Response response = http.send("GET", "/api/identities",
                headers("evil.example:" + http.port(), null, http.secret()), null);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("myDeviceId");
    }

    @Test
    void a_write_from_a_foreign_origin_is_refused_and_changes_nothing() throws Exception {
        InspectorHttp.Response response = http.send("POST", "/api/devices?token=" + http.secret(),
                headers(http.ownHost(), "http://evil.example", http.secret()), "{\"deviceId\":\"csrf-device\"}");

        assertThat(response.status()).isEqualTo(403);
        assertThat(localHub.hub().inspectorUrl()).isPresent();
        assertThat(http.send("GET", "/api/twin?id=csrf-device", null).status()).isEqualTo(404);
    }

    @Test
    void a_write_without_an_origin_is_refused() throws Exception {
        InspectorHttp.Response response = http.send("POST", "/api/devices",
                headers(http.ownHost(), null, http.secret()), "{\"deviceId\":\"no-origin-device\"}");

        assertThat(response.status()).isEqualTo(403);
        assertThat(http.send("GET", "/api/twin?id=no-origin-device", null).status()).isEqualTo(404);
    }

    @Test
    void the_event_stream_is_refused_to_a_foreign_origin() throws Exception {
        assertThat(http.send("GET", "/api/events", headers(http.ownHost(), "http://evil.example", http.secret()), null)
                .status()).isEqualTo(403);
        InspectorHttp.Response own = http.send("GET", "/api/events", headers(http.ownHost(), null, http.secret()), null);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.header("Content-Type")).startsWith("text/event-stream");
    }

    @Test
    void the_page_is_served_with_a_policy_that_loads_nothing_from_elsewhere() throws Exception {
        InspectorHttp.Response page = http.send("GET", "/", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("/assets/inspector.js").doesNotContain("http://").doesNotContain("https://");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'").contains("script-src 'self'");
        assertThat(http.send("GET", "/assets/twin-rules.js", null).status()).isEqualTo(200);
        assertThat(http.send("GET", "/assets/../LocalHub.class", null).status()).isEqualTo(404);
    }

    @Test
    void the_device_list_and_the_twin_carry_no_key() throws Exception {
        Authentication.SymmetricKey keys = keysOfDefaultDevice();
        InspectorHttp.Response list = http.send("GET", "/api/identities", null);
        InspectorHttp.Response twin = http.send("GET", "/api/twin?id=" + LocalHub.DEFAULT_DEVICE_ID, null);

        assertThat(list.status()).isEqualTo(200);
        assertThat(json(list).getAsJsonArray("items").get(0).getAsJsonObject().get("deviceId").getAsString())
                .isEqualTo(LocalHub.DEFAULT_DEVICE_ID);
        for (InspectorHttp.Response response : new InspectorHttp.Response[] {list, twin}) {
            assertThat(response.body()).doesNotContain(keys.primaryKey()).doesNotContain(keys.secondaryKey())
                    .doesNotContain("SharedAccessKey");
        }
    }

    private static Authentication.SymmetricKey keysOfDefaultDevice() {
        String connectionString = localHub.hub().deviceConnectionString(LocalHub.DEFAULT_DEVICE_ID);
        String primary = connectionString.substring(connectionString.indexOf("SharedAccessKey=") + "SharedAccessKey=".length());
        String secondary = lab.devicetwins.localhub.WellKnownKeys.deviceKey(LocalHub.DEFAULT_DEVICE_ID, false);
        return new Authentication.SymmetricKey(primary, secondary);
    }

    @Test
    void an_edit_based_on_an_old_etag_gets_412_with_the_newer_twin() throws Exception {
        http.send("POST", "/api/devices", "{\"deviceId\":\"stale-edit\"}");
        String etag = json(http.send("GET", "/api/twin?id=stale-edit", null)).get("etag").getAsString();
        Map<String, String> write = headers(http.ownHost(), http.ownOrigin(), http.secret());
        write.put("If-Match", "\"" + etag + "\"");
        InspectorHttp.Response first = http.send("PUT", "/api/twin?id=stale-edit", write,
                "{\"tags\":{\"plant\":\"Redmond43\"},\"properties\":{\"desired\":{}}}");

        InspectorHttp.Response stale = http.send("PUT", "/api/twin?id=stale-edit", write,
                "{\"tags\":{\"plant\":\"Seattle\"},\"properties\":{\"desired\":{}}}");

        assertThat(first.status()).isEqualTo(200);
        assertThat(stale.status()).isEqualTo(412);
        JsonObject body = json(stale);
        assertThat(body.getAsJsonObject("error").get("errorCode").getAsInt()).isEqualTo(412001);
        assertThat(body.getAsJsonObject("twin").getAsJsonObject("tags").get("plant").getAsString()).isEqualTo("Redmond43");
        assertThat(body.getAsJsonObject("twin").get("etag").getAsString()).isEqualTo(json(first).get("etag").getAsString());
    }

    @Test
    void an_edit_without_an_etag_is_refused() throws Exception {
        InspectorHttp.Response response = http.send("PUT", "/api/twin?id=" + LocalHub.DEFAULT_DEVICE_ID,
                "{\"tags\":{\"a\":1}}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).getAsJsonObject("error").get("errorCode").getAsInt()).isEqualTo(400004);
    }

    @Test
    void an_edit_that_breaks_a_twin_rule_gets_the_hubs_400_and_changes_nothing() throws Exception {
        http.send("POST", "/api/devices", "{\"deviceId\":\"rule-breaker\"}");
        JsonObject before = json(http.send("GET", "/api/twin?id=rule-breaker", null));
        Map<String, String> write = headers(http.ownHost(), http.ownOrigin(), http.secret());
        write.put("If-Match", before.get("etag").getAsString());

        InspectorHttp.Response response = http.send("PUT", "/api/twin?id=rule-breaker", write,
                "{\"tags\":{\"bad.key\":1},\"properties\":{\"desired\":{}}}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).getAsJsonObject("error").get("message").getAsString()).contains("bad.key");
        assertThat(json(http.send("GET", "/api/twin?id=rule-breaker", null)).get("etag"))
                .isEqualTo(before.get("etag"));
    }

    @Test
    void a_query_error_names_the_line_and_column_the_hub_reports() throws Exception {
        InspectorHttp.Response response = http.send("POST", "/api/query",
                "{\"query\":\"SELECT * FROM devices\\nWHERE tags.plant = \"}");

        assertThat(response.status()).isEqualTo(400);
        JsonObject error = json(response).getAsJsonObject("error");
        assertThat(error.get("line").getAsInt()).isEqualTo(2);
        assertThat(error.get("message").getAsString()).contains("line 2, column " + error.get("column").getAsInt());
    }

    @Test
    void a_query_pages_with_a_continuation() throws Exception {
        for (String id : new String[] {"page-a", "page-b", "page-c"}) {
            http.send("POST", "/api/devices", "{\"deviceId\":\"" + id + "\"}");
        }
        String query = "{\"query\":\"SELECT deviceId FROM devices WHERE STARTS_WITH(deviceId, 'page-')\",\"pageSize\":2";

        JsonObject first = json(http.send("POST", "/api/query", query + "}"));
        JsonObject second = json(http.send("POST", "/api/query",
                query + ",\"continuation\":\"" + first.get("continuation").getAsString() + "\"}"));

        assertThat(first.getAsJsonArray("items")).hasSize(2);
        assertThat(second.getAsJsonArray("items")).hasSize(1);
        assertThat(second.has("continuation")).isFalse();
        assertThat(second.getAsJsonArray("items").get(0).getAsJsonObject().get("deviceId").getAsString())
                .isEqualTo("page-c");
    }

    @Test
    void a_local_hub_shows_its_knobs_with_their_sources_and_has_no_throttles_to_count() throws Exception {
        JsonObject profile = json(http.send("GET", "/api/hub", null)).getAsJsonObject("profile");
        InspectorHttp.Response counts = http.send("GET", "/api/throttles", null);

        assertThat(profile.get("name").getAsString()).isEqualTo("local");
        assertThat(profile.get("title").getAsString()).isEqualTo("local: no throttling, no query lag");
        assertThat(profile.get("throttles").getAsBoolean()).isFalse();
        Map<String, JsonObject> knobs = new LinkedHashMap<>();
        profile.getAsJsonArray("knobs").forEach(k -> knobs.put(k.getAsJsonObject().get("name").getAsString(),
                k.getAsJsonObject()));
        assertThat(knobs).containsKeys("profile", "query lag", "identity propagation", "SAS expiry tolerance",
                "connected token grace");
        assertThat(knobs.get("query lag").get("value").getAsString()).isEqualTo("0s");
        assertThat(knobs.get("query lag").get("source").getAsString()).contains("--query-lag");
        assertThat(profile.getAsJsonArray("operations")).isEmpty();
        assertThat(counts.status()).isEqualTo(200);
        assertThat(json(counts).getAsJsonArray("operations")).isEmpty();
    }

    @Test
    void an_unknown_api_path_is_a_404_with_the_hubs_error_shape() throws Exception {
        InspectorHttp.Response response = http.send("GET", "/api/nothing", null);

        assertThat(response.status()).isEqualTo(404);
        assertThat(json(response).getAsJsonObject("error").has("errorCode")).isTrue();
    }
}
