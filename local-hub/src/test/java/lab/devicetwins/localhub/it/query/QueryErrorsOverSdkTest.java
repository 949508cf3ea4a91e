package lab.devicetwins.localhub.it.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubBadFormatException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the official SDK reports for queries the hub refuses: bad syntax, unknown collections, length, rights. */
class QueryErrorsOverSdkTest {

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0));

    private OfficialSdks sdks;

    @BeforeEach
    void clients() {
        sdks = new OfficialSdks(localHub.hub());
    }

    private IotHubBadFormatException refused(String query) {
        return catchThrowableOfType(IotHubBadFormatException.class, () -> sdks.queries().queryTwins(query));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            SELECT * FROM devices WHERE                          | column 28 | near the end of the query
            SELECT * FROM devices WHERE tags.x = = 1             | column 38 | near '='
            SELECT * FROM devices WHERE tags.x = 'open           | column 38 | a string constant is not closed
            SELECT TOP x * FROM devices                          | column 12 | near 'x'
            SELECT * FROM devices WHERE tags.a IN 'x'            | column 39 | near ''x''
            SELECT * FROM devices WHERE NO_SUCH_FN(tags.a)       | column 29 | NO_SUCH_FN
            SELECT * FROM devices WHERE LOWER(tags.a, tags.b)    | column 29 | LOWER
            SELECT * FROM devices GROUP BY tags.plant            | column 23 | GROUP BY needs a projection
            SELECT * FROM devices WHERE tags.a = 1 ORDER BY tags.a | column 40 | near 'ORDER'
            SELECT * FROM things                                 | column 15 | unknown collection 'things'
            SELECT jobId FROM devices.jobs                       | column 19 | takes SELECT * only
            SELECT * FROM modules                                | column 15 | unknown collection
            """)
    void an_invalid_query_is_a_bad_request_naming_the_position_and_the_token(String query, String position,
                                                                             String problem) {
        IotHubBadFormatException error = refused(query);

        assertThat(error).as(query).isNotNull();
        assertThat(error.getErrorCode()).isEqualTo(400004);
        assertThat(error.getMessage()).contains("line 1, " + position).contains(problem);
    }

    @Test
    void the_position_of_an_error_counts_lines_and_columns() {
        IotHubBadFormatException error = refused("SELECT *\nFROM devices\nWHERE tags.a = 1 AND AND tags.b = 2");

        assertThat(error.getMessage()).contains("line 3, column 22").contains("near 'AND'");
    }

    @Test
    void an_invalid_job_query_through_query_jobs_is_refused_the_same_way() {
        IotHubBadFormatException error = catchThrowableOfType(IotHubBadFormatException.class,
                () -> sdks.queries().queryJobs("SELECT jobId FROM devices.jobs"));

        assertThat(error.getErrorCode()).isEqualTo(400004);
        assertThat(error.getMessage()).contains("devices.jobs").contains("SELECT * only");
    }

    /** A query that matches nothing, padded with a string constant to exactly {@code length} characters. */
    private static String queryOfLength(int length) {
        String start = "SELECT * FROM devices WHERE tags.note = '";
        return start + "x".repeat(length - start.length() - 1) + "'";
    }

    @Test
    void a_query_of_8192_characters_is_run() throws Exception {
        TwinQueryResponse response = sdks.queries().queryTwins(queryOfLength(8192));

        assertThat(response.hasNext()).isFalse();
    }

    @Test
    void a_query_of_8193_characters_is_refused_with_the_limit_in_the_message() {
        IotHubBadFormatException error = refused(queryOfLength(8193));

        assertThat(error.getErrorCode()).isEqualTo(400004);
        assertThat(error.getMessage()).contains("8193").contains("8192");
    }

    @ParameterizedTest
    @ValueSource(strings = {"registryRead", "registryReadWrite", "device"})
    void a_policy_without_service_connect_may_not_query(String policy) {
        var twins = sdks.twins(localHub.hub().policyConnectionString(policy));

        IotHubUnauthorizedException error = catchThrowableOfType(IotHubUnauthorizedException.class,
                () -> twins.query("SELECT * FROM devices"));

        assertThat(error.getErrorCode()).isEqualTo(401002);
        assertThat(error.getMessage()).contains(policy).contains("ServiceConnect");
    }

    @ParameterizedTest
    @ValueSource(strings = {"service", LocalHub.ARTICLE_POLICY})
    void a_policy_with_service_connect_may_query(String policy) throws Exception {
        var twins = sdks.twins(localHub.hub().policyConnectionString(policy));

        TwinQueryResponse response = twins.query("SELECT * FROM devices WHERE deviceId = 'myDeviceId'");

        assertThat(response.next().getDeviceId()).isEqualTo(LocalHub.DEFAULT_DEVICE_ID);
        assertThat(response.hasNext()).isFalse();
    }

    @Test
    void the_sdk_refuses_text_without_select_and_from_before_asking_the_hub() {
        Throwable error = catchThrowableOfType(IllegalArgumentException.class,
                () -> sdks.queries().queryTwins("devices where tags.x = 1"));

        assertThat(error).hasMessageContaining("select and from");
    }

    @Test
    void the_sdk_refuses_query_text_that_is_not_ascii_before_asking_the_hub() {
        // The SDK compares UTF-8 bytes with chars; a backslash-u escape in the string constant gets past it.
        Throwable error = catchThrowableOfType(IllegalArgumentException.class,
                () -> sdks.queries().queryTwins("SELECT * FROM devices WHERE tags.city = 'Zürich'"));

        assertThat(error).hasMessageContaining("not valid");
    }
}
