package lab.devicetwins.localhub.realism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThrottlesTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final long[] now = {1_000 * SECOND};

    private Throttles s1(Duration shapingLimit) {
        return Throttles.of(HubProfile.of(Tier.S1, 1).withShapingLimit(shapingLimit), () -> now[0]);
    }

    @Test
    void theLocalProfileAdmitsEverythingAtOnce() {
        Throttles none = Throttles.of(HubProfile.local(), () -> now[0]);
        assertThat(none.active()).isFalse();
        for (int i = 0; i < 10_000; i++) {
            assertThat(none.admit(Operation.QUERIES)).isSameAs(Admission.NOW);
        }
        assertThat(none.counts()).isEmpty();
    }

    @Test
    void anIdleQueryThrottleLetsAMinutesQuotaThroughThenShapesThenRefuses() {
        Throttles throttles = s1(Duration.ofSeconds(5));
        for (int i = 0; i < 20; i++) {
            assertThat(throttles.admit(Operation.QUERIES)).as("query %d", i).isEqualTo(Admission.NOW);
        }
        // 20/min: one every 3 s once the burst is spent; a 5 s bound holds one more
        Admission shaped = throttles.admit(Operation.QUERIES);
        assertThat(shaped.delayed()).isTrue();
        assertThat(shaped.delayNanos()).isEqualTo(3 * SECOND);
        assertThat(throttles.admit(Operation.QUERIES).throttled()).isTrue();
        assertThat(throttles.counts().get(Operation.QUERIES)).isEqualTo(new Throttles.Counts(20, 1, 1));
    }

    @Test
    void aRefusedOperationTakesNothingFromTheThrottle() {
        Throttles throttles = s1(Duration.ZERO);
        for (int i = 0; i < 20; i++) {
            throttles.admit(Operation.QUERIES);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(throttles.admit(Operation.QUERIES).throttled()).isTrue();
        }
        now[0] += 3 * SECOND;
        assertThat(throttles.admit(Operation.QUERIES)).isEqualTo(Admission.NOW);
        assertThat(throttles.admit(Operation.QUERIES).throttled()).isTrue();
    }

    @Test
    void throttlesAreIndependentPerOperation() {
        Throttles throttles = s1(Duration.ZERO);
        for (int i = 0; i < 20; i++) {
            throttles.admit(Operation.QUERIES);
        }
        assertThat(throttles.admit(Operation.QUERIES).throttled()).isTrue();
        assertThat(throttles.admit(Operation.TWIN_READS)).isEqualTo(Admission.NOW);
        assertThat(throttles.admit(Operation.REGISTRY)).isEqualTo(Admission.NOW);
    }

    @Test
    void methodsAreChargedIn4KbUnits() {
        assertThat(Operation.methodUnits(0)).isEqualTo(1);
        assertThat(Operation.methodUnits(4096)).isEqualTo(1);
        assertThat(Operation.methodUnits(4097)).isEqualTo(2);
        assertThat(Operation.methodUnits(128 * 1024)).isEqualTo(32);
        Throttles throttles = s1(Duration.ZERO);
        // S1, one unit: 160 KB/s = 40 units a second, a second's worth at once
        assertThat(throttles.admit(Operation.DIRECT_METHODS, 32)).isEqualTo(Admission.NOW);
        assertThat(throttles.admit(Operation.DIRECT_METHODS, 8)).isEqualTo(Admission.NOW);
        assertThat(throttles.admit(Operation.DIRECT_METHODS, 1).throttled()).isTrue();
        now[0] += SECOND / 40;
        assertThat(throttles.admit(Operation.DIRECT_METHODS, 1)).isEqualTo(Admission.NOW);
    }

    @Test
    void unitsScaleTheQuotasTheDocumentationScales() {
        assertThat(Tier.S1.rates(1).get(Operation.REGISTRY).perSecond()).isEqualTo(100 / 60.0);
        assertThat(Tier.S1.rates(3).get(Operation.REGISTRY).perSecond()).isEqualTo(300 / 60.0);
        // "higher of 100/s or 12/s/unit"
        assertThat(Tier.S1.rates(1).get(Operation.NEW_CONNECTIONS).perSecond()).isEqualTo(100);
        assertThat(Tier.S1.rates(10).get(Operation.NEW_CONNECTIONS).perSecond()).isEqualTo(120);
        // twin reads on S1 do not grow with units; on S2 above 10 units they do
        assertThat(Tier.S1.rates(200).get(Operation.TWIN_READS).perSecond()).isEqualTo(100);
        assertThat(Tier.S2.rates(20).get(Operation.TWIN_READS).perSecond()).isEqualTo(200);
        assertThat(Tier.S3.rates(2).get(Operation.QUERIES).burst()).isEqualTo(2000);
        assertThatThrownBy(() -> Tier.FREE.rates(2)).hasMessageContaining("free hub has 1 unit");
        assertThatThrownBy(() -> Tier.S3.rates(11)).hasMessageContaining("1 to 10 units");
    }

    /**
     * Whatever the arrivals: no operation is held longer than the limit, every window of time starts no more than the
     * burst plus the rate times its length, and an operation is refused only when the throttle is really full.
     */
    @Test
    void noArrivalPatternGetsMoreThanTheQuotaOrWaitsLongerThanTheLimit() {
        qt().withExamples(300).forAll(
                lists().of(integers().between(0, 400)).ofSizeBetween(1, 400),
                integers().between(0, 4_000))
            .checkAssert((gapsMillis, limitMillis) -> {
                long[] clock = {0};
                Throttles throttles = Throttles.of(HubProfile.of(Tier.S1, 1)
                        .withShapingLimit(Duration.ofMillis(limitMillis)), () -> clock[0]);
                Rate rate = Tier.S1.rates(1).get(Operation.TWIN_UPDATES);
                List<Long> starts = new ArrayList<>();
                for (int gap : gapsMillis) {
                    clock[0] += TimeUnit.MILLISECONDS.toNanos(gap) / 20;
                    Admission admission = throttles.admit(Operation.TWIN_UPDATES);
                    if (!admission.throttled()) {
                        assertThat(admission.delayNanos()).isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(limitMillis));
                        starts.add(clock[0] + admission.delayNanos());
                    }
                }
                List<Long> sorted = starts.stream().sorted().toList();
                for (int i = 0; i < sorted.size(); i++) {
                    for (int j = i; j < sorted.size(); j++) {
                        double allowed = rate.burst() + (sorted.get(j) - sorted.get(i)) * rate.perSecond() / SECOND;
                        assertThat((double) (j - i + 1)).isLessThanOrEqualTo(allowed + 1e-6);
                    }
                }
                Throttles.Counts counts = throttles.counts().get(Operation.TWIN_UPDATES);
                assertThat(counts.admitted() + counts.shaped() + counts.throttled()).isEqualTo(gapsMillis.size());
                assertThat(counts.admitted()).isGreaterThanOrEqualTo(Math.min(gapsMillis.size(), (long) rate.burst()));
            });
    }
}
