package lab.devicetwins.localhub.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.azure.sdk.iot.service.exceptions.ErrorCodeDescription;
import com.microsoft.azure.sdk.iot.service.exceptions.ErrorMessageParser;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubExceptionManager;
import com.microsoft.azure.sdk.iot.service.transport.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorBodyTest {

    @ParameterizedTest
    @EnumSource(HubErrorCode.class)
    void the_service_sdk_reads_the_six_digit_code_from_the_nested_body(HubErrorCode code) {
        String body = ErrorBody.nested(code, "something went wrong").toString();

        // the SDK first follows the nested "Message" fields, then reads the code from the innermost text
        String innermost = ErrorMessageParser.bestErrorMessage(body);

        assertThat(ErrorMessageParser.bestErrorCode(innermost)).isEqualTo(code.code());
        assertThat(innermost).contains("something went wrong");
    }

    @ParameterizedTest
    @EnumSource(value = HubErrorCode.class, names = {"DEVICE_NOT_FOUND", "DEVICE_ALREADY_EXISTS", "PRECONDITION_FAILED",
            "IOT_HUB_UNAUTHORIZED_ACCESS", "ARGUMENT_INVALID", "MESSAGE_TOO_LARGE"})
    void the_service_sdk_names_the_error_the_hub_meant(HubErrorCode code) {
        byte[] body = ErrorBody.nested(code, "m").toString().getBytes(StandardCharsets.UTF_8);
        HttpResponse response = new HttpResponse(code.status(), new byte[0], Map.of(), body);

        IotHubException exception = catchThrowableOfType(IotHubException.class,
                () -> IotHubExceptionManager.httpResponseVerification(response));

        assertThat(exception.getErrorCode()).isEqualTo(code.code());
        assertThat(exception.getErrorCodeDescription()).isEqualTo(ErrorCodeDescription.valueOf(code.hubName()));
    }

    @ParameterizedTest
    @EnumSource(HubErrorCode.class)
    void the_flat_body_carries_code_and_message(HubErrorCode code) {
        var body = ErrorBody.flat(code, "why");

        assertThat(body.get("errorCode").getAsInt()).isEqualTo(code.code());
        assertThat(body.get("message").getAsString()).isEqualTo("why");
        assertThat(String.valueOf(code.code())).startsWith(String.valueOf(code.status()));
    }
}
