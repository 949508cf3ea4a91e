package lab.devicetwins.localhub.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AccessRightTest {

    @ParameterizedTest
    @CsvSource({
            "REGISTRY_READ, RegistryRead",
            "REGISTRY_WRITE, RegistryWrite",
            "SERVICE_CONNECT, ServiceConnect",
            "DEVICE_CONNECT, DeviceConnect"})
    void each_right_has_the_name_iot_hub_uses(AccessRight right, String wireName) {
        assertThat(right.wireName()).isEqualTo(wireName);
    }

    @Test
    void a_list_in_the_form_azure_shows_is_read() {
        assertThat(AccessRight.parseList("RegistryRead, ServiceConnect"))
                .containsExactlyInAnyOrder(AccessRight.REGISTRY_READ, AccessRight.SERVICE_CONNECT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "registryRead|REGISTRY_READ",
            "SERVICECONNECT|SERVICE_CONNECT",
            "  deviceconnect  |DEVICE_CONNECT"})
    void names_are_matched_ignoring_case_and_surrounding_spaces(String text, AccessRight expected) {
        assertThat(AccessRight.parseList(text)).containsExactly(expected);
    }

    @Test
    void a_blank_list_grants_nothing() {
        assertThat(AccessRight.parseList(" ")).isEmpty();
    }

    @Test
    void an_unknown_right_is_named_with_its_position_and_the_valid_names() {
        assertThatThrownBy(() -> AccessRight.parseList("RegistryRead, RegistryAdmin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'RegistryAdmin'")
                .hasMessageContaining("position 2")
                .hasMessageContaining("RegistryRead, RegistryWrite, ServiceConnect, DeviceConnect");
    }

    @Test
    void an_empty_entry_between_commas_is_refused() {
        assertThatThrownBy(() -> AccessRight.parseList("RegistryRead,,ServiceConnect"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty entry at position 2");
    }

    @ParameterizedTest
    @EnumSource(AccessRight.class)
    void a_formatted_list_reads_back_to_the_same_rights(AccessRight without) {
        EnumSet<AccessRight> rights = EnumSet.complementOf(EnumSet.of(without));

        assertThat(AccessRight.parseList(AccessRight.formatList(rights))).isEqualTo(rights);
    }
}
