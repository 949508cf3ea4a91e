package lab.devicetwins.localhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stored-instant reader agrees with {@link Instant#parse} on every text: what it reads itself and what it
 * leaves to it. A failure prints its seed ("Seed was N"); {@code -Dstore.seed=N} replays it.
 */
class StoredInstantTest {
    private static final long RUN_SEED = Long.getLong("store.seed", new Random().nextLong());
    /** 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, the years Instant.toString writes with four digits. */
    private static final long FIRST = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void every_instant_the_registry_writes_reads_back_as_itself() {
        qt().withFixedSeed(RUN_SEED).withExamples(20_000).withTestingTime(3, TimeUnit.SECONDS)
                .forAll(longs().between(FIRST, LAST), integers().between(0, 999_999_999), integers().between(0, 3))
                .checkAssert((seconds, nanos, precision) -> {
                    // whole seconds, millis, micros and nanos, as Instant.toString writes each
                    int kept = switch (precision) {
                        case 0 -> 0;
                        case 1 -> nanos / 1_000_000 * 1_000_000;
                        case 2 -> nanos / 1_000 * 1_000;
                        default -> nanos;
                    };
                    Instant instant = Instant.ofEpochSecond(seconds, kept);
                    assertThat(StoredInstant.parse(instant.toString())).isEqualTo(instant);
                });
    }

    @Test
    void any_text_near_that_form_reads_as_instant_parse_reads_it() {
        String alphabet = "0123456789-:.TZ+x ";
        qt().withFixedSeed(RUN_SEED).withExamples(20_000).withTestingTime(3, TimeUnit.SECONDS)
                .forAll(longs().between(FIRST, LAST), integers().between(0, 40), integers().between(0, alphabet.length() - 1))
                .checkAssert((seconds, at, replacement) -> {
                    String text = Instant.ofEpochSecond(seconds, 120_000_000).toString();
                    String changed = at < text.length()
                            ? text.substring(0, at) + alphabet.charAt(replacement) + text.substring(at + 1)
                            : text + alphabet.charAt(replacement);
                    assertThat(outcome(() -> StoredInstant.parse(changed))).as(changed)
                            .isEqualTo(outcome(() -> Instant.parse(changed)));
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T00:00:00Z", "2024-02-29T23:59:60Z", "+10000-01-01T00:00:00Z",
        "2026-12-01T12:00:00.Z", "2026-12-01T12:00:00.1234567890Z", "2026-12-01T24:00:00Z", "2026-13-01T00:00:00Z",
        "2026-12-01T12:00:00+01:00", "2026-12-01T12:00Z", "-0001-01-01T00:00:00Z", "2026-12-01t12:00:00z"})
    void unusual_texts_read_as_instant_parse_reads_them(String text) {
        assertThat(outcome(() -> StoredInstant.parse(text))).isEqualTo(outcome(() -> Instant.parse(text)));
    }

    private static Object outcome(Supplier<Instant> read) {
        try {
            return read.get();
        } catch (DateTimeParseException refused) {
            return "refused";
        }
    }
}
