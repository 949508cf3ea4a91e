package lab.devicetwins.tutorial.e2e;

import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tutorial's scenarios once more with the device app on MQTT over WebSockets ({@code IOTHUB_DEVICE_PROTOCOL=MQTT_WS},
 * the switch for networks that block 8883): port 443, through the hub's proxy where the hub cannot have 443, against
 * the same hub as {@link TutorialEndToEndTest}.
 */
@ExtendWith(HubUnderTest.class)
class TutorialOverWebSocketsTest extends TutorialScenarios {
    @Override
    IotHubClientProtocol deviceProtocol() {
        return IotHubClientProtocol.MQTT_WS;
    }
}
