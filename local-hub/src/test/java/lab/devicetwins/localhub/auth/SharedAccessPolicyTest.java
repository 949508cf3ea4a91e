package lab.devicetwins.localhub.auth;

import static lab.devicetwins.localhub.auth.AccessRight.DEVICE_CONNECT;
import static lab.devicetwins.localhub.auth.AccessRight.REGISTRY_READ;
import static lab.devicetwins.localhub.auth.AccessRight.REGISTRY_WRITE;
import static lab.devicetwins.localhub.auth.AccessRight.SERVICE_CONNECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SharedAccessPolicyTest {

    @Test
    void the_defaults_are_the_hubs_five_policies_and_the_one_the_tutorial_asks_for() {
        Map<String, Set<AccessRight>> rightsByName = SharedAccessPolicy.defaults().stream()
                .collect(Collectors.toMap(SharedAccessPolicy::name, SharedAccessPolicy::rights));

        assertThat(rightsByName).containsExactlyInAnyOrderEntriesOf(Map.of(
                "iothubowner", EnumSet.allOf(AccessRight.class),
                "service", EnumSet.of(SERVICE_CONNECT),
                "device", EnumSet.of(DEVICE_CONNECT),
                "registryRead", EnumSet.of(REGISTRY_READ),
                "registryReadWrite", EnumSet.of(REGISTRY_READ, REGISTRY_WRITE),
                "serviceAndRegistryRead", EnumSet.of(SERVICE_CONNECT, REGISTRY_READ)));
    }

    @Test
    void the_defaults_use_the_well_known_keys() {
        for (SharedAccessPolicy policy : SharedAccessPolicy.defaults()) {
            assertThat(policy.primaryKey()).isEqualTo(SharedAccessPolicy.wellKnownKey(policy.name(), true));
            assertThat(policy.secondaryKey()).isEqualTo(SharedAccessPolicy.wellKnownKey(policy.name(), false));
        }
    }

    // Expected values computed outside Java with:
    //   printf '%s' "device-twins-lab:<name>:<primary|secondary>" | openssl dgst -sha256 -binary | base64
    // They are published in the docs, so they must never change.
    @ParameterizedTest
    @CsvSource({
            "iothubowner, true, E24efu0Abu14IrWz77tt+C3yRUuVul2Ojhq/qAxqJms=",
            "iothubowner, false, B/aikESNN9tS2WxwYHI64MSLIy46b3GddVDaqDsnITE=",
            "serviceAndRegistryRead, true, IxhEDa/kRSN38JfHS8L8QocINC/IZ9eYjSge/nnuHxA=",
            "serviceAndRegistryRead, false, IS0jacT4lEgA5kvjiGq5bL0XdXI0VqAV+SvxWhclQW0="})
    void well_known_keys_follow_the_documented_formula(String name, boolean primary, String expected) {
        assertThat(SharedAccessPolicy.wellKnownKey(name, primary)).isEqualTo(expected);
    }

    @Test
    void every_default_key_is_a_distinct_256_bit_key() {
        Set<String> keys = SharedAccessPolicy.defaults().stream()
                .flatMap(p -> Stream.of(p.primaryKey(), p.secondaryKey()))
                .collect(Collectors.toSet());

        assertThat(keys).hasSize(2 * SharedAccessPolicy.defaults().size());
        assertThat(keys).extracting(k -> Base64.getDecoder().decode(k).length).containsOnly(32);
    }

    @Test
    void a_key_that_is_not_base64_is_refused_with_the_policy_name() {
        assertThatThrownBy(() -> new SharedAccessPolicy("mine", "not base64!", SharedAccessPolicy.wellKnownKey("mine", false),
                EnumSet.of(SERVICE_CONNECT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("primary key of policy 'mine'");
    }

    @Test
    void rights_cannot_be_changed_through_the_record() {
        EnumSet<AccessRight> rights = EnumSet.of(SERVICE_CONNECT);
        SharedAccessPolicy policy = SharedAccessPolicy.withWellKnownKeys("mine", rights);
        rights.add(REGISTRY_WRITE);

        assertThat(policy.rights()).containsExactly(SERVICE_CONNECT);
        assertThatThrownBy(() -> policy.rights().add(DEVICE_CONNECT)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void the_text_form_shows_no_key() {
        SharedAccessPolicy policy = SharedAccessPolicy.withWellKnownKeys("service", EnumSet.of(SERVICE_CONNECT));

        assertThat(policy.toString()).contains("service", "ServiceConnect")
                .doesNotContain(policy.primaryKey(), policy.secondaryKey());
    }
}
