package lab.devicetwins.localhub.twin;

import static lab.devicetwins.localhub.twin.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the core produces must parse in the official SDKs' own parsers, exactly as the endpoints will send it. */
class SdkReadsTwinTest {
    private static final Instant T0 = Instant.parse("2026-11-27T14:00:00.1234567Z");
    private static final Instant T1 = Instant.parse("2026-11-27T14:05:01.9876543Z");

    private static TwinDocument twin() {
        return TwinDocument.createNew(T0, TwinLimits.defaults())
                .patchFromService(obj("{'loc':{'region':'EU'}}"), obj("{'fan':{'speed':3},'mode':'eco'}"), T1).after()
                .patchReported(obj("{'fan':{'speed':2},'online':true}"), null, T1).after();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-27T14:05:01.123456789Z", "2026-11-27T14:05:01Z", "1970-01-01T00:00:00.999Z",
            "2099-12-31T23:59:59.0000001Z"})
    void the_service_sdk_parses_hub_timestamps_to_the_millisecond(String instant) {
        Instant at = Instant.parse(instant);

        Date parsed = com.microsoft.azure.sdk.iot.service.ParserUtility.getDateTimeUtc(HubTimestamp.format(at));

        assertThat(parsed.toInstant()).isEqualTo(at.truncatedTo(ChronoUnit.MILLIS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-27T14:05:01.123456789Z", "2026-11-27T14:05:01Z"})
    void the_device_sdk_parses_hub_timestamps_to_the_millisecond(String instant) {
        Instant at = Instant.parse(instant);

        Date parsed = com.microsoft.azure.sdk.iot.device.twin.ParserUtility.getDateTimeUtc(HubTimestamp.format(at));

        assertThat(parsed.toInstant()).isEqualTo(at.truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void the_device_sdk_reads_the_device_properties_json_as_its_get_twin_answer() {
        TwinDocument twin = twin();

        // DeviceTwin hands the GET payload to this factory
        Twin parsed = Twin.createFromPropertiesJson(twin.devicePropertiesJson().toString());

        TwinCollection desired = parsed.getDesiredProperties();
        TwinCollection reported = parsed.getReportedProperties();
        assertThat(desired.getVersion()).isEqualTo((int) twin.desiredVersion());
        assertThat(reported.getVersion()).isEqualTo((int) twin.reportedVersion());
        assertThat(desired.get("mode")).isEqualTo("eco");
        assertThat(((TwinCollection) desired.get("fan")).get("speed")).isEqualTo(3L);
        assertThat(reported.get("online")).isEqualTo(true);
        assertThat(desired).doesNotContainKey("$version");
    }

    @Test
    void the_device_sdk_also_reads_the_properties_with_metadata() {
        TwinDocument twin = twin();

        Twin parsed = Twin.createFromPropertiesJson(twin.servicePropertiesJson().toString());

        TwinCollection desired = parsed.getDesiredProperties();
        assertThat(desired.getTwinMetadata().getLastUpdated().toInstant()).isEqualTo(T1.truncatedTo(ChronoUnit.MILLIS));
        assertThat(desired.getTwinMetadata("mode").getLastUpdatedVersion()).isEqualTo((int) twin.desiredVersion());
        assertThat(parsed.getReportedProperties().getTwinMetadata("online").getLastUpdated().toInstant())
                .isEqualTo(T1.truncatedTo(ChronoUnit.MILLIS));
        assertThat(parsed.getReportedProperties().getTwinMetadata("online").getLastUpdatedVersion()).isNull();
    }

    @Test
    void the_device_sdk_reads_a_desired_notification() {
        TwinChange change = twin().patchFromService(null, obj("{'mode':null,'fan':{'speed':5}}"), T1);

        // DeviceTwin hands the notification payload to this factory
        Twin parsed = Twin.createFromDesiredPropertyJson(change.desiredNotification().orElseThrow().toString());

        TwinCollection desired = parsed.getDesiredProperties();
        assertThat(desired.getVersion()).isEqualTo((int) change.after().desiredVersion());
        assertThat(desired).containsKey("mode");
        assertThat(desired.get("mode")).isNull();
        assertThat(((TwinCollection) desired.get("fan")).get("speed")).isEqualTo(5L);
    }

    @Test
    void the_service_sdk_reads_a_twin_built_from_the_stored_json() {
        TwinDocument twin = twin();
        JsonObject body = twin.toStoredJson();
        body.addProperty("deviceId", "dev1");
        body.addProperty("status", "enabled");

        com.microsoft.azure.sdk.iot.service.twin.Twin parsed =
                com.microsoft.azure.sdk.iot.service.twin.Twin.fromJson(body.toString());

        assertThat(parsed.getETag()).isEqualTo(twin.etag());
        assertThat(parsed.getVersion()).isEqualTo((int) twin.version());
        assertThat(parsed.getTags()).containsKey("loc");
        assertThat(parsed.getDesiredProperties().getVersion()).isEqualTo((int) twin.desiredVersion());
        assertThat(parsed.getDesiredProperties().get("mode")).isEqualTo("eco");
        assertThat(parsed.getDesiredProperties().getTwinMetadata("mode").getLastUpdatedVersion())
                .isEqualTo((int) twin.desiredVersion());
        assertThat(parsed.getDesiredProperties().getTwinMetadata("mode").getLastUpdated().toInstant())
                .isEqualTo(T1.truncatedTo(ChronoUnit.MILLIS));
        assertThat(parsed.getReportedProperties().getVersion()).isEqualTo((int) twin.reportedVersion());
        assertThat(parsed.getReportedProperties().getTwinMetadata("fan").getLastUpdated().toInstant())
                .isEqualTo(T1.truncatedTo(ChronoUnit.MILLIS));
    }
}
