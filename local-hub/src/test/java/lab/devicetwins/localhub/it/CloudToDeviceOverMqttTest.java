package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.MessageProperty;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.mqtt.MqttFrames;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.mqtt.RawMqttSocket;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import lab.devicetwins.localhub.sdk.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud-to-device messages, device side: sent through the local hub's own API, queued per device with IoT Hub's
 * limits, delivered on {@code devices/{id}/messages/devicebound/…} to the unmodified device SDK with their properties,
 * completed by the PUBACK, and kept across reconnects and restarts until then.
 */
class CloudToDeviceOverMqttTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String SEND = "/localhub/devices/dev1/messages/devicebound";

    @TempDir
    Path data;

    private final SettableClock clock = new SettableClock();
    private LocalHub hub;
    private OfficialSdks sdks;
    private ServiceRestClient rest;
    private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        clock.set(Instant.now());
        hub = startHub();
        sdks.registry().addDevice(new Device("dev1"));
    }

    private LocalHub startHub() {
        LocalHub started = LocalHub.builder().dataDirectory(data).httpsPort(0).clock(clock).start();
        sdks = new OfficialSdks(started);
        rest = new ServiceRestClient(started);
        return started;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        hub.close();
    }

    private HttpResponse<String> send(String json) throws Exception {
        return rest.send("POST", SEND, json);
    }

    private static String text(String body) {
        return "{\"body\":\"" + body + "\"}";
    }

    /** dev1 through the device SDK, completing every message it receives into {@code received}. */
    private DeviceClient receivingDevice(List<Message> received) throws Exception {
        DeviceClient device = sdks.device("dev1");
        clients.add(device::close);
        device.setMessageCallback((message, ctx) -> {
            received.add(message);
            return IotHubMessageResult.COMPLETE;
        }, null);
        device.open(false);
        return device;
    }

    @Test
    void a_message_reaches_the_device_sdk_with_its_body_ids_content_type_and_properties() throws Exception {
        List<Message> received = new CopyOnWriteArrayList<>();
        receivingDevice(received);

        HttpResponse<String> sent = send("{\"bodyBase64\":\"" + Base64.getEncoder().encodeToString(
                new byte[] {0, (byte) 0xFE, 'o', 'k'}) + "\",\"messageId\":\"m-1\",\"correlationId\":\"c 1\","
                + "\"contentType\":\"application/octet-stream\",\"contentEncoding\":\"binary\",\"ack\":\"full\","
                + "\"properties\":{\"plain\":\"v\",\"with space\":\"a+b=c&d\",\"ünï\":\"€ %20\"}}");

        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        JsonObject answer = JsonParser.parseString(sent.body()).getAsJsonObject();
        assertThat(answer.get("messageId").getAsString()).isEqualTo("m-1");
        assertThat(Instant.parse(answer.get("expiryTimeUtc").getAsString()))
                .isEqualTo(Instant.parse(answer.get("enqueuedTimeUtc").getAsString()).plus(Duration.ofHours(1)));
        await().atMost(BOUND).until(() -> received.size() == 1);
        Message message = received.get(0);
        assertThat(message.getBytes()).containsExactly(0, (byte) 0xFE, 'o', 'k');
        assertThat(message.getMessageId()).isEqualTo("m-1");
        assertThat(message.getCorrelationId()).isEqualTo("c 1");
        assertThat(message.getContentType()).isEqualTo("application/octet-stream");
        assertThat(message.getContentEncoding()).isEqualTo("binary");
        Map<String, String> properties = new TreeMap<>();
        for (MessageProperty p : message.getProperties()) {
            properties.put(p.getName(), p.getValue());
        }
        assertThat(properties).isEqualTo(Map.of("plain", "v", "with space", "a+b=c&d", "ünï", "€ %20"));
    }

    @Test
    void messages_queued_while_the_device_is_away_arrive_in_order_after_it_connects_and_after_a_restart()
            throws Exception {
        for (int i = 1; i <= 3; i++) {
            assertThat(send(text("before restart " + i)).statusCode()).isEqualTo(200);
        }
        hub.close();
        hub = startHub();
        assertThat(send(text("after restart")).statusCode()).isEqualTo(200);

        List<Message> received = new CopyOnWriteArrayList<>();
        receivingDevice(received);

        await().atMost(BOUND).until(() -> received.size() == 4);
        assertThat(received).extracting(m -> new String(m.getBytes(), StandardCharsets.UTF_8))
                .containsExactly("before restart 1", "before restart 2", "before restart 3", "after restart");
    }

    @Test
    void a_completed_message_is_gone_and_an_unacknowledged_one_comes_again_on_the_next_connection() throws Exception {
        RawMqttDevice raw = new RawMqttDevice(hub, "dev1");
        raw.connect(false);
        raw.subscribe("devices/dev1/messages/devicebound/#");
        assertThat(send(text("first")).statusCode()).isEqualTo(200);
        RawMqttDevice.Received first = raw.next();
        assertThat(first.topic()).startsWith("devices/dev1/messages/devicebound/%24.mid=")
                .contains("&%24.to=%2Fdevices%2Fdev1%2Fmessages%2Fdevicebound").contains("&iothub-ack=none");
        assertThat(first.qos()).isEqualTo(1);
        // Paho acknowledges after its callback returns: the PUBACK completes the message
        await().atMost(BOUND).until(() -> hub.queuedCloudToDeviceMessages("dev1") == 0);
        raw.close();

        List<Message> received = new CopyOnWriteArrayList<>();
        DeviceClient device = sdks.device("dev1");
        clients.add(device::close);
        // an app that takes the message but throws: the SDK sends no PUBACK
        List<String> seen = new CopyOnWriteArrayList<>();
        device.setMessageCallback((message, ctx) -> {
            seen.add(new String(message.getBytes(), StandardCharsets.UTF_8));
            throw new IllegalStateException("the app failed on this message");
        }, null);
        assertThat(send(text("second")).statusCode()).isEqualTo(200);
        device.open(false);
        await().atMost(BOUND).until(() -> seen.contains("second"));
        assertThat(hub.queuedCloudToDeviceMessages("dev1")).as("not acknowledged, still queued").isEqualTo(1);
        device.close();
        clients.remove(0);

        receivingDevice(received);
        await().atMost(BOUND).until(() -> !received.isEmpty());
        assertThat(received).extracting(m -> new String(m.getBytes(), StandardCharsets.UTF_8)).containsExactly("second");
        assertThat(seen).doesNotContain("first");
    }

    @Test
    void an_expired_message_is_never_delivered() throws Exception {
        assertThat(send("{\"body\":\"soon stale\",\"expiryTimeUtc\":\"" + clock.instant().plusSeconds(60) + "\"}")
                .statusCode()).isEqualTo(200);
        assertThat(send(text("fresh")).statusCode()).isEqualTo(200);
        clock.advanceSeconds(60);

        List<Message> received = new CopyOnWriteArrayList<>();
        receivingDevice(received);

        await().atMost(BOUND).until(() -> !received.isEmpty());
        assertThat(received).extracting(m -> new String(m.getBytes(), StandardCharsets.UTF_8)).containsExactly("fresh");
    }

    @Test
    void the_fifty_first_queued_message_is_refused_with_403004_and_the_queue_takes_more_once_drained() throws Exception {
        for (int i = 0; i < 50; i++) {
            assertThat(send(text("m" + i)).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> full = send(text("one too many"));

        assertThat(full.statusCode()).isEqualTo(403);
        assertThat(full.body()).contains("403004");
        List<Message> received = new CopyOnWriteArrayList<>();
        receivingDevice(received);
        await().atMost(BOUND).until(() -> received.size() == 50);
        await().atMost(BOUND).until(() -> send(text("room again")).statusCode() == 200);
        await().atMost(BOUND).until(() -> received.size() == 51);
    }

    @Test
    void a_message_is_given_up_after_ten_deliveries_without_acknowledgement() throws Exception {
        assertThat(send(text("poison")).statusCode()).isEqualTo(200);
        for (int delivery = 1; delivery <= 10; delivery++) {
            try (RawMqttSocket socket = RawMqttSocket.open(hub)) {
                String token = RawMqttDevice.token(hub, "dev1", RawMqttDevice.primaryKey(hub, "dev1"),
                        clock.instant().plusSeconds(3600));
                assertThat(socket.connect(hub, "dev1", token, 60)).isZero();
                if (delivery == 1) {
                    // later connections keep this subscription (CleanSession 0): the message comes right after CONNACK
                    socket.send(MqttFrames.subscribe(1, "devices/dev1/messages/devicebound/#"));
                    assertThat(socket.readPacket().type()).as("SUBACK").isEqualTo(9);
                }
                assertThat(socket.readPacket().publishTopic()).as("delivery " + delivery).contains("devicebound");
            }
        }
        List<Message> received = new CopyOnWriteArrayList<>();
        receivingDevice(received);
        assertThat(send(text("next")).statusCode()).isEqualTo(200);

        await().atMost(BOUND).until(() -> !received.isEmpty());
        assertThat(received).extracting(m -> new String(m.getBytes(), StandardCharsets.UTF_8)).containsExactly("next");
    }

    @Test
    void bad_messages_get_iot_hub_errors_and_nothing_is_queued() throws Exception {
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put("{}", 400);
        cases.put("{\"body\":\"a\",\"bodyBase64\":\"YQ==\"}", 400);
        cases.put("{\"bodyBase64\":\"not base64!\"}", 400);
        cases.put("{\"body\":1}", 400);
        cases.put("{\"body\":\"a\",\"ttl\":5}", 400);
        cases.put("{\"body\":\"a\",\"ack\":\"always\"}", 400);
        cases.put("{\"body\":\"a\",\"properties\":{\"$.mid\":\"x\"}}", 400);
        cases.put("{\"body\":\"a\",\"properties\":{\"iothub-ack\":\"x\"}}", 400);
        cases.put("{\"body\":\"a\",\"properties\":{\"k\":1}}", 400);
        cases.put("{\"body\":\"a\",\"messageId\":\"\"}", 400);
        cases.put("{\"body\":\"a\",\"expiryTimeUtc\":\"" + clock.instant().minusSeconds(1) + "\"}", 400);
        cases.put("{\"body\":\"a\",\"expiryTimeUtc\":\"" + clock.instant().plus(Duration.ofDays(2)).plusSeconds(1)
                + "\"}", 400);
        cases.put("{\"body\":\"a\",\"expiryTimeUtc\":\"tomorrow\"}", 400);
        cases.put("{\"body\":\"" + "x".repeat(64 * 1024 + 1) + "\"}", 413);
        cases.put("[\"body\"]", 400);
        cases.put("{\"body\":\"a\",}", 400);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            HttpResponse<String> response = send(c.getKey());
            String label = c.getKey().length() > 80 ? c.getKey().substring(0, 80) : c.getKey();
            assertThat(response.statusCode()).as(label).isEqualTo(c.getValue());
            assertThat(response.body()).as(label).contains(c.getValue() == 413 ? "413001" : "400004");
        }
        HttpResponse<String> unknown = rest.send("POST", "/localhub/devices/nobody/messages/devicebound", text("a"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("404001");
        HttpResponse<String> readOnly = rest.send(rest.request(SEND).header("Authorization", rest.tokenFor("registryRead"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(text("a"))));
        assertThat(readOnly.statusCode()).isEqualTo(401);

        List<Message> received = new CopyOnWriteArrayList<>();
        receivingDevice(received);
        assertThat(send(text("the only one")).statusCode()).isEqualTo(200);
        await().atMost(BOUND).until(() -> !received.isEmpty());
        assertThat(received).extracting(m -> new String(m.getBytes(), StandardCharsets.UTF_8))
                .containsExactly("the only one");
    }

    @Test
    void deleting_the_device_deletes_its_queue() throws Exception {
        assertThat(send(text("for the old dev1")).statusCode()).isEqualTo(200);
        sdks.registry().removeDevice("dev1");
        sdks.registry().addDevice(new Device("dev1"));
        assertThat(send(text("for the new dev1")).statusCode()).isEqualTo(200);

        List<Message> received = new CopyOnWriteArrayList<>();
        receivingDevice(received);

        await().atMost(BOUND).until(() -> !received.isEmpty());
        assertThat(received).extracting(m -> new String(m.getBytes(), StandardCharsets.UTF_8))
                .containsExactly("for the new dev1");
    }
}
