package lab.devicetwins.tutorial.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceProtocolTest {

    @Test
    void without_the_variable_devices_use_mqtt() {
        assertThat(DeviceProtocol.fromEnvironment(Map.of())).isEqualTo(IotHubClientProtocol.MQTT);
        assertThat(DeviceProtocol.fromEnvironment(Map.of(DeviceProtocol.VARIABLE, " "))).isEqualTo(IotHubClientProtocol.MQTT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MQTT_WS", "mqtt_ws", " MQTT_WS "})
    void mqtt_ws_in_any_case_picks_mqtt_over_websockets(String value) {
        assertThat(DeviceProtocol.fromEnvironment(Map.of(DeviceProtocol.VARIABLE, value)))
                .isEqualTo(IotHubClientProtocol.MQTT_WS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AMQPS", "HTTPS", "websocket"})
    void any_other_value_is_refused_naming_the_variable_and_the_choices(String value) {
        assertThatThrownBy(() -> DeviceProtocol.fromEnvironment(Map.of(DeviceProtocol.VARIABLE, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DeviceProtocol.VARIABLE).hasMessageContaining("MQTT_WS");
    }
}
