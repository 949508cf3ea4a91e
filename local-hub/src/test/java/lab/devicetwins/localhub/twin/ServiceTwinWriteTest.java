package lab.devicetwins.localhub.twin;

import static lab.devicetwins.localhub.twin.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceTwinWriteTest {

    @Test
    void the_java_service_sdk_body_yields_tags_and_desired_and_ignores_identity_fields() {
        // the shape iot-service-client 2.1.9 sends (contract 2.4): every field present, mostly null
        String body = "{'deviceId':null,'moduleId':null,'generationId':null,'etag':null,'version':null,'status':null,"
                + "'statusReason':null,'statusUpdatedTime':null,'connectionState':null,'connectionStateUpdatedTime':null,"
                + "'cloudToDeviceMessageCount':null,'lastActivityTime':null,'capabilities':null,'modelId':null,"
                + "'tags':{},'properties':{'desired':{'a':5,'del':null}},'configurations':null}";

        ServiceTwinWrite write = ServiceTwinWrite.fromTwinJson(obj(body));

        assertThat(write.tags()).isEqualTo(obj("{}"));
        assertThat(write.desired()).isEqualTo(obj("{'a':5,'del':null}"));
    }

    @Test
    void absent_or_null_parts_are_no_parts() {
        assertThat(ServiceTwinWrite.fromTwinJson(obj("{}"))).isEqualTo(new ServiceTwinWrite(null, null));
        assertThat(ServiceTwinWrite.fromTwinJson(obj("{'tags':null,'properties':null}")))
                .isEqualTo(new ServiceTwinWrite(null, null));
        assertThat(ServiceTwinWrite.fromTwinJson(obj("{'properties':{'desired':null}}")))
                .isEqualTo(new ServiceTwinWrite(null, null));
    }

    @Test
    void a_reported_section_holding_only_read_only_keys_is_tolerated() {
        ServiceTwinWrite write = ServiceTwinWrite.fromTwinJson(
                obj("{'properties':{'desired':{'a':1},'reported':{'$version':4,'$metadata':{}}}}"));

        assertThat(write.desired()).isEqualTo(obj("{'a':1}"));
    }

    @Test
    void a_back_end_may_not_write_reported_properties() {
        TwinRuleViolation violation = catchThrowableOfType(TwinRuleViolation.class,
                () -> ServiceTwinWrite.fromTwinJson(obj("{'properties':{'reported':{'a':1}}}")));

        assertThat(violation.path()).isEqualTo("properties.reported");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "'[1]'                                   | twin: must be a JSON object, but is an array",
            "{'tags':'EU'}                           | tags: must be a JSON object, but is a string",
            "{'properties':[]}                       | properties: must be a JSON object, but is an array",
            "{'properties':{'desired':5}}            | properties.desired: must be a JSON object, but is a number",
            "{'properties':{'reported':true}}        | properties.reported: must be a JSON object, but is a boolean"})
    void a_part_that_is_not_an_object_is_refused(String body, String message) {
        TwinRuleViolation violation = catchThrowableOfType(TwinRuleViolation.class,
                () -> ServiceTwinWrite.fromTwinJson(JsonParser.parseString(body.replace('\'', '"'))));

        assertThat(violation.getMessage()).isEqualTo(message);
    }
}
