package lab.devicetwins.tutorial.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;

import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.tutorial.shared.TargetHub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The step-1 app with {@code IOTHUB_DEVICE_PROTOCOL=MQTT_WS}: MQTT over WebSockets, here to a local hub whose HTTPS
 * is not on 443, so the options {@code shared/} builds carry the hub's proxy as the device SDK's proxy settings.
 */
class DeviceAppOverWebSocketsTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    @Test
    void the_device_app_over_websockets_reads_its_twin_and_reports() throws Exception {
        LocalHub hub = localHub.hub();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (TargetHub target = TargetHub.of(hub, out);
             DeviceApp app = new DeviceApp(target.deviceConnectionString(), IotHubClientProtocol.MQTT_WS,
                     target.deviceClientOptions(IotHubClientProtocol.MQTT_WS), "websocket", out)) {
            app.run(Duration.ofSeconds(2));

            TwinClient twins = new TwinClient(target.registryConnectionString(), target.twinClientOptions());
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    "websocket".equals(twins.get(LocalHub.DEFAULT_DEVICE_ID).getReportedProperties().get("connectivityType")));
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Connected").contains("Received the current twin");
    }
}
