package lab.devicetwins.localhub.twin;

import static lab.devicetwins.localhub.twin.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DesiredNotificationTest {
    private static final Instant T0 = Instant.parse("2026-11-27T14:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-27T14:00:01Z");

    private final TwinDocument twin = TwinDocument.createNew(T0, TwinLimits.defaults())
            .patchFromService(null, obj("{'a':{'x':1,'y':2},'b':'old'}"), T0).after();

    @Test
    void a_desired_patch_notifies_the_patch_as_written_with_nulls_kept_and_the_new_version() {
        TwinChange change = twin.patchFromService(null, obj("{'a':{'y':null,'z':3},'b':null,'c':[1,2]}"), T1);

        assertThat(change.desiredNotification())
                .contains(obj("{'a':{'y':null,'z':3},'b':null,'c':[1,2],'$version':3}"));
    }

    @Test
    void the_notification_leaves_out_read_only_keys_of_the_incoming_body() {
        TwinChange change = twin.patchFromService(null, obj("{'b':'new','$version':99,'$metadata':{}}"), T1);

        assertThat(change.desiredNotification()).contains(obj("{'b':'new','$version':3}"));
    }

    @Test
    void a_replace_notifies_the_full_new_desired_properties_and_the_new_version() {
        TwinChange change = twin.replaceFromService(obj("{'t':1}"), obj("{'only':{'p':true,'gone':null}}"), T1);

        assertThat(change.desiredNotification()).contains(obj("{'only':{'p':true},'$version':3}"));
    }

    @Test
    void a_replace_with_no_desired_properties_still_notifies_the_version() {
        TwinChange change = twin.replaceFromService(null, null, T1);

        assertThat(change.desiredNotification()).contains(obj("{'$version':3}"));
    }

    @Test
    void a_patch_of_tags_and_desired_notifies_only_the_desired_part() {
        TwinChange change = twin.patchFromService(obj("{'loc':'EU'}"), obj("{'b':'new'}"), T1);

        assertThat(change.desiredNotification()).contains(obj("{'b':'new','$version':3}"));
    }

    @Test
    void a_tags_only_patch_sends_no_notification() {
        TwinChange change = twin.patchFromService(obj("{'loc':'EU'}"), obj("{}"), T1);

        assertThat(change.changed()).isTrue();
        assertThat(change.desiredNotification()).isEmpty();
    }

    @Test
    void an_empty_patch_sends_no_notification() {
        assertThat(twin.patchFromService(obj("{}"), obj("{}"), T1).desiredNotification()).isEmpty();
    }

    @Test
    void a_reported_patch_sends_no_desired_notification() {
        assertThat(twin.patchReported(obj("{'r':1}"), null, T1).desiredNotification()).isEmpty();
    }

    @Test
    void changing_a_notification_changes_neither_the_change_nor_the_twin() {
        TwinChange change = twin.patchFromService(null, obj("{'b':'new'}"), T1);

        change.desiredNotification().orElseThrow().addProperty("sneaky", 1);

        assertThat(change.desiredNotification()).contains(obj("{'b':'new','$version':3}"));
        assertThat(change.after().desired(false).has("sneaky")).isFalse();
    }

    @Test
    void the_notification_does_not_share_the_callers_patch_object() {
        JsonObject patch = obj("{'b':'new'}");
        TwinChange change = twin.patchFromService(null, patch, T1);

        patch.addProperty("later", 1);

        assertThat(change.desiredNotification()).contains(obj("{'b':'new','$version':3}"));
    }
}
