package lab.devicetwins.localhub.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.localhub.realism.Tier;
import org.junit.jupiter.api.Test;

/** The profile panel's title names the tier and its units, or what a local hub leaves out. */
class ProfileFactsTest {

    @Test
    void a_tier_is_named_with_its_units() {
        assertThat(ProfileFacts.title(HubProfile.of(Tier.S1, 1))).isEqualTo("S1 x 1 unit");
        assertThat(ProfileFacts.title(HubProfile.of(Tier.S2, 3))).isEqualTo("S2 x 3 units");
    }

    @Test
    void a_local_hub_with_a_query_lag_says_so() {
        assertThat(ProfileFacts.title(HubProfile.local())).isEqualTo("local: no throttling, no query lag");
        assertThat(ProfileFacts.title(HubProfile.local().withQueryLag(Duration.ofSeconds(2))))
                .isEqualTo("local: no throttling, query lag 2s");
    }

    @Test
    void the_throttles_are_operations_not_knobs() {
        var facts = ProfileFacts.of(HubProfile.of(Tier.S1, 1));

        assertThat(facts.getAsJsonArray("operations")).hasSize(HubProfile.of(Tier.S1, 1).rates().size());
        assertThat(facts.getAsJsonArray("knobs").asList()).extracting(k -> k.getAsJsonObject().get("name").getAsString())
                .containsExactly("profile", "shaping limit", "query lag", "identity propagation", "SAS expiry tolerance",
                        "connected token grace");
    }
}
