package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.auth.SasToken;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.awaitility.Awaitility;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request log says what happened to each request and why a client was refused, and never shows a secret. */
class RequestLogTest {
    private static final List<String> lines = new CopyOnWriteArrayList<>();
    private static LocalHub hub;

    @BeforeAll
    static void start() {
        hub = LocalHub.builder().mqttPort(0).httpsPort(0).proxyPort(-1).requestLog(lines::add).start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void a_served_request_is_one_line_with_method_path_status_and_policy() throws Exception {
        ServiceRestClient rest = new ServiceRestClient(hub);

        assertThat(rest.send("GET", "/twins/" + LocalHub.DEFAULT_DEVICE_ID, null).statusCode()).isEqualTo(200);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream()
                .anyMatch(l -> l.contains(" https GET /twins/myDeviceId 200 - ") && l.endsWith("policy=iothubowner")));
    }

    @Test
    void a_refused_request_names_its_error_code_and_reason_but_not_its_token() throws Exception {
        ServiceRestClient rest = new ServiceRestClient(hub);
        String token = SasToken.create(hub.hostName().toLowerCase(Locale.ROOT) + "/devices/other",
                ServiceRestClient.keyOf(hub.ownerConnectionString()), "iothubowner", Instant.now().plusSeconds(600));
        String signature = SasToken.parse(token).signature();

        HttpResponse<String> response = rest.send(rest.request("/twins/" + LocalHub.DEFAULT_DEVICE_ID)
                .header("Authorization", token).GET());

        assertThat(response.statusCode()).isEqualTo(401);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream()
                .anyMatch(l -> l.contains(" 401 401002 ") && l.contains("does not cover")));
        assertThat(lines).noneMatch(l -> l.contains(signature) || l.contains(token));
    }

    @Test
    void a_refused_mqtt_connect_is_logged_with_its_connack_code_and_reason_but_not_its_password() throws Exception {
        String password = "SharedAccessSignature sr=" + hub.hostName() + "/devices/" + LocalHub.DEFAULT_DEVICE_ID
                + "&sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D&se=" + Instant.now().plusSeconds(600).getEpochSecond();
        MqttAsyncClient client = new MqttAsyncClient("ssl://" + hub.hostName() + ":" + hub.mqttPort(),
                LocalHub.DEFAULT_DEVICE_ID, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setSocketFactory(hub.clientSslContext().getSocketFactory());
        options.setUserName(hub.hostName() + "/" + LocalHub.DEFAULT_DEVICE_ID + "/?api-version=2020-09-30");
        options.setPassword(password.toCharArray());
        try {
            client.connect(options).waitForCompletion(30_000);
        } catch (MqttException expected) {
            assertThat(expected.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        } finally {
            client.close(true);
        }

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream()
                .anyMatch(l -> l.contains(" mqtt refuse myDeviceId 5 reason=") && l.contains("signature")));
        assertThat(lines).noneMatch(l -> l.contains("AAAAAAAAAAAAAAAAAAAAAAAA"));
    }
}
