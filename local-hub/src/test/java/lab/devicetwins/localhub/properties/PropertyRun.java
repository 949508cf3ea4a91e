package lab.devicetwins.localhub.properties;

import static org.quicktheories.QuickTheory.qt;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.quicktheories.core.Gen;

/**
 * How a wire property runs: QuickTheories draws at most a number of cases, fewer when they take longer than a number
 * of seconds, all from a run seed that changes every run. A failure prints the seed ("Seed was N") and
 * {@code -Dproperties.seed=N} replays it.
 *
 * <p>A failing case is shrunk for at most {@link #SHRINK_CYCLES} steps and about {@link #SHRINK_SECONDS} seconds:
 * every step is a round trip to the hub, some of them a wait of {@code READ_BOUND} for a hub that does not answer,
 * and QuickTheories' own bound is in steps only. Once the time is up the remaining steps pass without running, so
 * the smallest failure found until then is the one reported.
 */
final class PropertyRun {
    static final long RUN_SEED = Long.getLong("properties.seed", new Random().nextLong());
    private static final int SHRINK_CYCLES = 300;
    private static final long SHRINK_SECONDS = 20;

    private PropertyRun() {
    }

    /** One case of a property: any exception fails it, as an assertion would. */
    @FunctionalInterface
    interface Check<T> {
        void accept(T value) throws Exception;
    }

    /** Runs {@code property} on at most {@code tries} cases of {@code cases}, for at most {@code seconds}. */
    static <T> void forAll(int tries, long seconds, Gen<T> cases, Check<T> property) {
        long[] firstFailureNanos = {0};
        qt().withFixedSeed(RUN_SEED).withExamples(tries).withTestingTime(seconds, TimeUnit.SECONDS)
                .withShrinkCycles(SHRINK_CYCLES)
                .forAll(cases)
                .checkAssert(value -> {
                    if (firstFailureNanos[0] != 0
                            && System.nanoTime() - firstFailureNanos[0] > TimeUnit.SECONDS.toNanos(SHRINK_SECONDS)) {
                        return;
                    }
                    try {
                        property.accept(value);
                    } catch (AssertionError | RuntimeException failure) {
                        noteFailure(firstFailureNanos);
                        throw failure;
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError("interrupted", interrupted);
                    } catch (Exception failure) {
                        noteFailure(firstFailureNanos);
                        throw new AssertionError(failure.toString(), failure);
                    }
                });
    }

    private static void noteFailure(long[] firstFailureNanos) {
        if (firstFailureNanos[0] == 0) {
            firstFailureNanos[0] = System.nanoTime();
        }
    }
}
