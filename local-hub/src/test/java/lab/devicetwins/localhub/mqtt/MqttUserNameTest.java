package lab.devicetwins.localhub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MqttUserNameTest {
    private static final String PREFIX = "hub.example/dev1/?api-version=2020-09-30&DeviceClientType=x";

    @ParameterizedTest
    @ValueSource(strings = {"dtmi:com:example:Thermostat;1", "dtmi:a;1", "dtmi:com:example:TemperatureController;2",
            "dtmi:my_company:x9;123456789"})
    void a_well_formed_model_id_is_read_as_the_sdk_encodes_it(String modelId) {
        String encoded = URLEncoder.encode(modelId, StandardCharsets.UTF_8).replace("+", "%20");

        assertThat(MqttUserName.modelId(PREFIX + "&model-id=" + encoded)).contains(modelId);
        assertThat(MqttUserName.modelId("hub.example/dev1/?model-id=" + encoded + "&api-version=2020-09-30"))
                .contains(modelId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "&model-id=", "&model-id=thermostat", "&model-id=dtmi:com:example;0",
            "&model-id=dtmi:com:example", "&model-id=dtmi:1com;1", "&model-id=dtmi:com_:x;1", "&model-id=%zz",
            "&modelid=dtmi:com:example:Thermostat;1", "&model-id=dtmi:com:example:Thermostat;1%00"})
    void anything_else_is_no_model_id(String query) {
        assertThat(MqttUserName.modelId(PREFIX + query)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hub.example/dev1", "hub.example/dev1/", "model-id=dtmi:com:example:Thermostat;1"})
    void a_user_name_without_a_query_has_none(String userName) {
        assertThat(MqttUserName.modelId(userName)).isEmpty();
    }
}
