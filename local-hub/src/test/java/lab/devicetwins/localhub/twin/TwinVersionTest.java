package lab.devicetwins.localhub.twin;

import static lab.devicetwins.localhub.twin.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TwinVersionTest {
    private static final Instant T0 = Instant.parse("2026-11-27T14:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-27T14:00:01Z");

    @Test
    void a_new_twin_starts_at_version_one_everywhere_with_empty_sections() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults());

        assertThat(twin.version()).isEqualTo(1);
        assertThat(twin.etag()).isEqualTo("AAAAAAAAAAE=");
        assertThat(twin.desiredVersion()).isEqualTo(1);
        assertThat(twin.reportedVersion()).isEqualTo(1);
        assertThat(twin.tags()).isEqualTo(new JsonObject());
        assertThat(twin.desired(false)).isEqualTo(obj("{'$version':1}"));
        assertThat(twin.reported(false)).isEqualTo(obj("{'$version':1}"));
    }

    static Stream<Arguments> writes() {
        return Stream.of(
                write("desired patch", t -> t.patchFromService(null, obj("{'a':1}"), T1).after(), 2, 2, 1),
                write("tags-only patch", t -> t.patchFromService(obj("{'a':1}"), null, T1).after(), 2, 1, 1),
                write("tags and desired in one patch", t -> t.patchFromService(obj("{'a':1}"), obj("{'a':1}"), T1).after(), 2, 2, 1),
                write("replace", t -> t.replaceFromService(obj("{'a':1}"), obj("{'a':1}"), T1).after(), 2, 2, 1),
                write("replace with nothing", t -> t.replaceFromService(null, null, T1).after(), 2, 2, 1),
                write("reported patch", t -> t.patchReported(obj("{'a':1}"), null, T1).after(), 2, 1, 2),
                write("reported patch deleting an absent member", t -> t.patchReported(obj("{'a':null}"), null, T1).after(), 2, 1, 2),
                write("patch with empty sections", t -> t.patchFromService(obj("{}"), obj("{}"), T1).after(), 1, 1, 1),
                write("patch with null sections", t -> t.patchFromService(null, null, T1).after(), 1, 1, 1),
                write("patch of read-only keys only", t -> t.patchFromService(null, obj("{'$version':7}"), T1).after(), 1, 1, 1),
                write("empty reported patch", t -> t.patchReported(obj("{}"), null, T1).after(), 1, 1, 1),
                write("three desired patches", t -> t.patchFromService(null, obj("{'a':1}"), T1).after()
                        .patchFromService(null, obj("{'a':2}"), T1).after()
                        .patchFromService(null, obj("{'a':null}"), T1).after(), 4, 4, 1),
                write("two reported patches and a tag patch", t -> t.patchReported(obj("{'a':1}"), 1L, T1).after()
                        .patchReported(obj("{'a':2}"), 2L, T1).after()
                        .patchFromService(obj("{'t':1}"), obj("{}"), T1).after(), 4, 1, 3));
    }

    private static Arguments write(String name, UnaryOperator<TwinDocument> write, long version, long desired, long reported) {
        return Arguments.of(name, write, version, desired, reported);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void each_write_moves_exactly_the_versions_it_changes(String name, UnaryOperator<TwinDocument> write,
            long version, long desiredVersion, long reportedVersion) {
        TwinDocument after = write.apply(TwinDocument.createNew(T0, TwinLimits.defaults()));

        assertThat(after.version()).isEqualTo(version);
        assertThat(after.desiredVersion()).isEqualTo(desiredVersion);
        assertThat(after.reportedVersion()).isEqualTo(reportedVersion);
        assertThat(after.desired(false).get("$version").getAsLong()).isEqualTo(desiredVersion);
        assertThat(after.reported(false).get("$version").getAsLong()).isEqualTo(reportedVersion);
    }

    @Test
    void a_write_that_changes_nothing_returns_the_same_document_and_says_so() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults());

        TwinChange servicePatch = twin.patchFromService(obj("{}"), obj("{}"), T1);
        TwinChange reportedPatch = twin.patchReported(obj("{}"), null, T1);

        assertThat(servicePatch.changed()).isFalse();
        assertThat(servicePatch.after()).isSameAs(twin);
        assertThat(servicePatch.desiredNotification()).isEmpty();
        assertThat(reportedPatch.changed()).isFalse();
        assertThat(reportedPatch.after()).isSameAs(twin);
    }

    @Test
    void every_real_write_reports_a_change() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults());

        assertThat(twin.patchFromService(obj("{'a':1}"), null, T1).changed()).isTrue();
        assertThat(twin.patchFromService(null, obj("{'a':1}"), T1).changed()).isTrue();
        assertThat(twin.replaceFromService(null, null, T1).changed()).isTrue();
        assertThat(twin.patchReported(obj("{'a':1}"), null, T1).changed()).isTrue();
    }

    @ParameterizedTest(name = "version {0} -> {1}")
    @CsvSource({
            "1, AAAAAAAAAAE=",
            "2, AAAAAAAAAAI=",
            "7, AAAAAAAAAAc=",
            "256, AAAAAAAAAQA=",
            "9223372036854775807, f/////////8="})
    void the_etag_is_base64_of_the_version_as_eight_big_endian_bytes(long version, String etag) {
        JsonObject stored = TwinDocument.createNew(T0, TwinLimits.defaults()).toStoredJson();
        stored.addProperty("version", version);

        assertThat(TwinDocument.fromStoredJson(stored).etag()).isEqualTo(etag);
    }

    @Test
    void the_etag_changes_with_every_change_and_only_then() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults());
        TwinDocument tagged = twin.patchFromService(obj("{'a':1}"), null, T1).after();
        TwinDocument unchanged = tagged.patchFromService(null, null, T1).after();

        assertThat(tagged.etag()).isNotEqualTo(twin.etag());
        assertThat(unchanged.etag()).isEqualTo(tagged.etag());
    }

    @Test
    void a_reported_patch_based_on_the_current_version_is_applied() {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults());

        TwinChange change = twin.patchReported(obj("{'a':1}"), 1L, T1);

        assertThat(change.after().reportedVersion()).isEqualTo(2);
    }

    @ParameterizedTest(name = "expected {0}")
    @CsvSource({"0", "1", "3", "-1"})
    void a_reported_patch_based_on_another_version_fails_its_precondition(long expected) {
        TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults()).patchReported(obj("{'a':1}"), null, T0).after();

        HubException failure = catchThrowableOfType(HubException.class,
                () -> twin.patchReported(obj("{'a':2}"), expected, T1));

        assertThat(failure.errorCode()).isEqualTo(HubErrorCode.PRECONDITION_FAILED);
        assertThat(failure).isNotInstanceOf(TwinRuleViolation.class);
        assertThat(failure.getMessage())
                .contains("$version " + expected)
                .contains("$version " + twin.reportedVersion());
    }
}
