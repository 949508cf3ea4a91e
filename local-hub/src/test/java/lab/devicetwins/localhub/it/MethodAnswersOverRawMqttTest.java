package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.service.methods.DirectMethodRequestOptions;
import com.microsoft.azure.sdk.iot.service.methods.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Method answers the SDKs never write, sent over raw MQTT: each is dropped (acknowledged, logged) and the call waits on
 * for an answer it can use, so the service never sees a status or body the device did not mean.
 */
class MethodAnswersOverRawMqttTest {
    private LocalHub hub;
    private OfficialSdks sdks;
    private RawMqttDevice device;
    private RawMqttDevice other;

    @BeforeEach
    void start() throws Exception {
        hub = LocalHub.builder().inMemory().httpsPort(0).start();
        sdks = new OfficialSdks(hub);
        sdks.registry().addDevice(new Device("dev1"));
        sdks.registry().addDevice(new Device("dev2"));
        device = new RawMqttDevice(hub, "dev1");
        device.connect(false);
        device.subscribe("$iothub/methods/POST/#");
        other = new RawMqttDevice(hub, "dev2");
        other.connect(false);
    }

    @AfterEach
    void stop() throws Exception {
        device.close();
        other.close();
        hub.close();
    }

    @Test
    void unusable_answers_are_dropped_and_the_first_usable_one_completes_the_call() throws Exception {
        DirectMethodRequestOptions options = DirectMethodRequestOptions.builder().methodResponseTimeoutSeconds(60)
                .methodConnectTimeoutSeconds(0).payload("ping").build();
        CompletableFuture<DirectMethodResponse> call = CompletableFuture.supplyAsync(() -> {
            try {
                return sdks.methods().invoke("dev1", "reboot", options);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        RawMqttDevice.Received request = device.next();
        assertThat(request.topic()).startsWith("$iothub/methods/POST/reboot/?$rid=");
        String rid = request.topic().substring(request.topic().indexOf("$rid=") + 5);
        byte[] tooLarge = new byte[128 * 1024 + 3];
        Arrays.fill(tooLarge, (byte) ' ');
        tooLarge[0] = '"';
        tooLarge[tooLarge.length - 1] = '"';

        device.publish("$iothub/methods/res/abc/?$rid=" + rid, "{}", 1);
        device.publish("$iothub/methods/res/200/", "{}", 1);
        device.publish("$iothub/methods/res/200/?$rid=" + rid, "not json", 1);
        device.publish("$iothub/methods/res/200/?$rid=" + rid, "{\"a\":1,}", 1);
        device.publish("$iothub/methods/res/200/?$rid=" + rid, "{\"a\":NaN}", 1);
        device.publish("$iothub/methods/res/200/?$rid=" + rid, new byte[] {'"', (byte) 0xC3, '"'}, 1);
        device.publish("$iothub/methods/res/200/?$rid=" + rid, tooLarge, 1);
        device.publish("$iothub/methods/res/200/?$rid=" + rid + "0", "{}", 1);
        other.publish("$iothub/methods/res/500/?$rid=" + rid, "\"another device\"", 1);
        assertThat(call).as("no unusable answer completed the call").isNotDone();

        device.publish("$iothub/methods/res/201/?$rid=" + rid, "{\"rebooted\":true}", 1);

        DirectMethodResponse response = call.get(30, TimeUnit.SECONDS);
        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.getPayloadAsJsonString()).isEqualTo("{\"rebooted\":true}");
        assertThat(device.isConnected()).as("answers are no protocol error").isTrue();
        device.publish("$iothub/methods/res/200/?$rid=" + rid, "\"late\"", 1);
        assertThat(new String(request.payloadBytes(), StandardCharsets.UTF_8)).isEqualTo("\"ping\"");
    }
}
