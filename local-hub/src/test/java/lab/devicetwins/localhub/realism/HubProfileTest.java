package lab.devicetwins.localhub.realism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HubProfileTest {

    @Test
    void namesAreTheTiersInAnyCase() {
        assertThat(HubProfile.named("local", 1)).isEqualTo(HubProfile.local());
        assertThat(HubProfile.named("S1", 2).tier()).isEqualTo(Tier.S1);
        assertThat(HubProfile.named(" s3 ", 10).units()).isEqualTo(10);
        assertThatThrownBy(() -> HubProfile.named("b1", 1)).hasMessageContaining("local, free, s1, s2, s3");
        assertThatThrownBy(() -> HubProfile.named("local", 2)).hasMessageContaining("no units");
        assertThatThrownBy(() -> HubProfile.named("free", 2)).hasMessageContaining("free hub has 1 unit");
    }

    @Test
    void theLocalProfileHasNoThrottlesAndNoDelays() {
        HubProfile local = HubProfile.local();
        assertThat(local.throttles()).isFalse();
        assertThat(local.rates()).isEmpty();
        assertThat(local.queryLag()).isZero();
        assertThat(local.summary()).startsWith("local (no throttling");
    }

    @Test
    void tierProfilesHaveTheDefaultsAndKnobsChangeOneAtATime() {
        HubProfile s1 = HubProfile.of(Tier.S1, 1);
        assertThat(s1.queryLag()).isEqualTo(HubProfile.DEFAULT_QUERY_LAG);
        assertThat(s1.sasExpiryTolerance()).isEqualTo(Duration.ofMinutes(5));
        HubProfile laggy = s1.withQueryLag(Duration.ofMillis(250));
        assertThat(laggy.queryLag()).isEqualTo(Duration.ofMillis(250));
        assertThat(laggy.withQueryLag(s1.queryLag())).isEqualTo(s1);
        assertThat(HubProfile.local().withQueryLag(Duration.ofSeconds(1)).throttles()).isFalse();
        assertThat(s1.summary()).contains("s1, 1 unit", "query lag 3s", "SAS expiry tolerance 5m");
        assertThat(s1.knobs()).extracting(HubProfile.Knob::name).contains("queries", "twin updates", "shaping limit");
    }

    @Test
    void durationsAreWrittenAsOnTheCommandLine() {
        assertThat(HubProfile.parseDuration("0")).isZero();
        assertThat(HubProfile.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(HubProfile.parseDuration("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(HubProfile.parseDuration("5M")).isEqualTo(Duration.ofMinutes(5));
        for (String bad : new String[] {"", "s", "3", "-1s", "1h", "3 s", "1.5s", "9999999999s", "2000m"}) {
            assertThatThrownBy(() -> HubProfile.parseDuration(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(HubProfile.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(HubProfile.format(Duration.ofMinutes(5))).isEqualTo("5m");
    }
}
