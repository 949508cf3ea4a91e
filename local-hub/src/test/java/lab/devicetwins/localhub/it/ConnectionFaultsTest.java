package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.methods.DirectMethodRequestOptions;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.Module;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.sdk.FaultInjection;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.mqtt.MqttFrames;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.mqtt.RawMqttSocket;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import lab.devicetwins.localhub.sdk.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Connection faults: IoT Hub's fault injection as the SDKs' test suites use it (a telemetry message with the
 * {@code AzIoTHub_FaultOperation*} properties: not acknowledged, the connection ends after the delay, reconnects are
 * refused for the duration, the session survives) and the local hub's own drop-connection over HTTPS.
 */
class ConnectionFaultsTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    private final SettableClock clock = new SettableClock();
    private LocalHub hub;
    private OfficialSdks sdks;
    private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        clock.set(Instant.now());
        hub = LocalHub.builder().inMemory().httpsPort(0).clock(clock).start();
        sdks = new OfficialSdks(hub);
        sdks.registry().addDevice(new Device("dev1"));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        hub.close();
    }

    private RawMqttSocket rawDevice() throws Exception {
        RawMqttSocket socket = RawMqttSocket.open(hub);
        clients.add(socket);
        return socket;
    }

    private int connect(RawMqttSocket socket) throws Exception {
        String token = RawMqttDevice.token(hub, "dev1", RawMqttDevice.primaryKey(hub, "dev1"),
                clock.instant().plus(Duration.ofHours(1)));
        return socket.connect(hub, "dev1", token, 60);
    }

    /** The telemetry topic the Java SDK writes for a message with these properties, in its encoding. */
    private static String faultTopic(String type, String delay, String duration, String messageId) {
        return "devices/dev1/messages/events/$.mid=" + messageId + "&AzIoTHub_FaultOperationType=" + type
                + "&AzIoTHub_FaultOperationCloseReason=Boom&AzIoTHub_FaultOperationDelayInSecs=" + delay
                + "&AzIoTHub_FaultOperationDurationInSecs=" + duration;
    }

    private static void publish(RawMqttSocket socket, String topic, int packetId) throws Exception {
        socket.send(MqttFrames.publish(topic, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8), 1,
                packetId));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"KillTcp", "ShutDownMqtt"})
    void a_fault_request_is_not_acknowledged_ends_the_connection_and_keeps_the_device_out_for_its_duration(
            String type) throws Exception {
        RawMqttSocket socket = rawDevice();
        assertThat(connect(socket)).isZero();

        publish(socket, faultTopic(type, "1", "30", "m1"), 7);

        assertThat(socket.readPacket()).as("no PUBACK, then the end of the connection").isNull();
        assertThat(connect(rawDevice())).as("CONNACK while the fault lasts: server unavailable").isEqualTo(3);
        clock.advanceSeconds(29);
        assertThat(connect(rawDevice())).isEqualTo(3);
        clock.advanceSeconds(1);
        assertThat(connect(rawDevice())).as("after the duration").isZero();
    }

    @Test
    void a_fault_type_only_amqp_has_and_a_request_with_unreadable_timings_are_ordinary_telemetry() throws Exception {
        RawMqttSocket socket = rawDevice();
        assertThat(connect(socket)).isZero();

        publish(socket, faultTopic("KillAmqpConnection", "0", "5", "m1"), 7);
        assertThat(socket.readPacket().type()).as("PUBACK").isEqualTo(4);
        publish(socket, faultTopic("KillTcp", "soon", "5", "m2"), 8);
        assertThat(socket.readPacket().type()).as("PUBACK").isEqualTo(4);
        publish(socket, faultTopic("KillTcp", "0", "172801", "m3"), 9);
        assertThat(socket.readPacket().type()).as("PUBACK for a duration over two days").isEqualTo(4);

        socket.send(MqttFrames.pingRequest());
        assertThat(socket.readPacket().type()).as("PINGRESP: still connected").isEqualTo(13);
        assertThat(connect(rawDevice())).isZero();
    }

    @Test
    void the_same_fault_message_sent_again_after_the_reconnect_is_acknowledged_and_changes_nothing() throws Exception {
        RawMqttSocket first = rawDevice();
        assertThat(connect(first)).isZero();
        publish(first, faultTopic("KillTcp", "0", "0", "m1"), 7);
        assertThat(first.readPacket()).isNull();

        RawMqttSocket second = rawDevice();
        assertThat(connect(second)).isZero();
        publish(second, faultTopic("KillTcp", "0", "0", "m1"), 7);

        assertThat(second.readPacket().type()).as("PUBACK").isEqualTo(4);
        second.send(MqttFrames.pingRequest());
        assertThat(second.readPacket().type()).isEqualTo(13);
    }

    @Test
    void a_second_fault_request_while_one_is_pending_is_acknowledged_and_does_not_extend_it() throws Exception {
        RawMqttSocket socket = rawDevice();
        assertThat(connect(socket)).isZero();

        publish(socket, faultTopic("KillTcp", "2", "10", "m1"), 7);
        publish(socket, faultTopic("KillTcp", "0", "100", "m2"), 8);

        assertThat(socket.readPacket().type()).as("PUBACK of the second request").isEqualTo(4);
        assertThat(socket.readPacket()).as("the first request's close").isNull();
        clock.advanceSeconds(10);
        assertThat(connect(rawDevice())).isZero();
    }

    @Test
    void the_device_sdk_rides_out_a_killed_connection_and_gets_desired_changes_without_subscribing_again()
            throws Exception {
        DeviceClient device = sdks.device("dev1");
        clients.add(device::close);
        List<IotHubConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        device.setConnectionStatusChangeCallback(change -> statuses.add(change.getNewStatus()), null);
        device.open(false);
        List<TwinCollection> desired = new CopyOnWriteArrayList<>();
        device.subscribeToDesiredProperties((twin, ctx) -> desired.add(twin.getDesiredProperties()), null);
        DeviceTwinRequests.getTwin(device);

        // as the SDKs' error-injection helper sends it: a short expiry, its send result not looked at
        Message fault = FaultInjection.message("KillTcp", "Boom", 1, 5);
        List<IotHubStatusCode> sendResults = new CopyOnWriteArrayList<>();
        device.sendEventAsync(fault, (message, e, ctx) -> sendResults.add(e == null ? IotHubStatusCode.OK
                : e.getStatusCode()), null);

        await().atMost(BOUND).until(() -> statuses.contains(IotHubConnectionStatus.DISCONNECTED_RETRYING));
        clock.advanceSeconds(5);
        await().atMost(BOUND).until(() -> statuses.get(statuses.size() - 1) == IotHubConnectionStatus.CONNECTED);

        var twin = sdks.twins().get("dev1");
        twin.getDesiredProperties().put("afterFault", true);
        sdks.twins().patch(twin);
        await().atMost(BOUND).until(() -> desired.stream().anyMatch(d -> d.containsKey("afterFault")));
        assertThat(sendResults).doesNotContain(IotHubStatusCode.OK);
    }

    @Test
    void a_module_client_answers_methods_again_after_a_graceful_shutdown_without_subscribing_again()
            throws Exception {
        sdks.registry().addModule(new Module("dev1", "mod1"));
        ModuleClient module = sdks.module("dev1", "mod1");
        clients.add(module::close);
        List<IotHubConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        module.setConnectionStatusChangeCallback(change -> statuses.add(change.getNewStatus()), null);
        module.open(false);
        module.subscribeToMethods((name, payload, ctx) -> new DirectMethodResponse(200, name), null);
        DirectMethodRequestOptions options = DirectMethodRequestOptions.builder().methodResponseTimeoutSeconds(30)
                .methodConnectTimeoutSeconds(30).build();
        assertThat(sdks.methods().invoke("dev1", "mod1", "before", options).getStatus()).isEqualTo(200);

        Message fault = FaultInjection.message("ShutDownMqtt", "byebye", 0, 0);
        module.sendEventAsync(fault, (message, e, ctx) -> { }, null);

        await().atMost(BOUND).until(() -> statuses.contains(IotHubConnectionStatus.DISCONNECTED_RETRYING)
                && statuses.get(statuses.size() - 1) == IotHubConnectionStatus.CONNECTED);
        var after = sdks.methods().invoke("dev1", "mod1", "after", options);
        assertThat(after.getStatus()).isEqualTo(200);
        assertThat(after.getPayloadAsJsonElement().getAsString()).isEqualTo("after");
    }

    @Test
    void the_drop_connection_api_ends_the_connection_and_refuses_reconnects_for_as_long_as_asked() throws Exception {
        RawMqttSocket socket = rawDevice();
        assertThat(connect(socket)).isZero();
        ServiceRestClient rest = new ServiceRestClient(hub);

        HttpResponse<String> dropped = rest.send("POST", "/localhub/connections/dev1/drop",
                "{\"refuseReconnectSeconds\":20}");

        assertThat(dropped.statusCode()).as(dropped.body()).isEqualTo(200);
        assertThat(JsonParser.parseString(dropped.body())).isEqualTo(JsonParser.parseString(
                "{\"deviceId\":\"dev1\",\"wasConnected\":true,\"refuseReconnectSeconds\":20}"));
        assertThat(socket.readPacket()).isNull();
        assertThat(connect(rawDevice())).isEqualTo(3);
        clock.advanceSeconds(20);
        RawMqttSocket back = rawDevice();
        assertThat(connect(back)).isZero();
        back.close();
        await().atMost(BOUND).until(() -> !hub.dropConnection("dev1", Duration.ZERO));

        HttpResponse<String> offline = rest.send("POST", "/localhub/connections/dev1/drop", null);
        assertThat(offline.statusCode()).isEqualTo(200);
        assertThat(JsonParser.parseString(offline.body()).getAsJsonObject().get("wasConnected").getAsBoolean())
                .isFalse();
        assertThat(connect(rawDevice())).as("no refusal asked for").isZero();
    }

    @Test
    void the_drop_connection_api_refuses_bad_requests_and_unknown_identities_with_iot_hub_errors() throws Exception {
        ServiceRestClient rest = new ServiceRestClient(hub);
        for (String body : List.of("{\"refuseReconnectSeconds\":-1}", "{\"refuseReconnectSeconds\":\"5\"}",
                "{\"refuseReconnectSeconds\":1.5}", "{\"refuseReconnectSeconds\":172801}", "{\"other\":1}", "[]",
                "{\"refuseReconnectSeconds\":5,}")) {
            HttpResponse<String> response = rest.send("POST", "/localhub/connections/dev1/drop", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).as(body).contains("400004");
        }
        HttpResponse<String> device = rest.send("POST", "/localhub/connections/nobody/drop", null);
        assertThat(device.statusCode()).isEqualTo(404);
        assertThat(device.body()).contains("404001");
        HttpResponse<String> module = rest.send("POST", "/localhub/connections/dev1/modules/nomod/drop", null);
        assertThat(module.statusCode()).isEqualTo(404);
        assertThat(module.body()).contains("404010");

        String registryReadOnly = rest.tokenFor("registryRead");
        HttpResponse<String> refused = rest.send(rest.request("/localhub/connections/dev1/drop")
                .header("Authorization", registryReadOnly)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(refused.statusCode()).isEqualTo(401);
    }
}
