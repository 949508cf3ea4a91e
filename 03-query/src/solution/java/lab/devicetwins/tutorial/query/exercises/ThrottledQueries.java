package lab.devicetwins.tutorial.query.exercises;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.random.RandomGenerator;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubTooManyRequestsException;

/**
 * Exercise ex-03-4-back-off: IoT Hub throttles queries (20 a minute per unit on S1 and S2). Above that rate it holds
 * a request for a while, then answers 429, which the service SDK throws as {@link IotHubTooManyRequestsException} and
 * never retries by itself; IoT Hub's advice is to back off and retry. This class runs a query again after each 429,
 * pausing longer each time (exponential back-off) by a random amount up to that bound (full jitter), so that clients
 * throttled together do not all come back together. Anything else is thrown at once: waiting does not mend a bad
 * query, a missing right or a network failure.
 */
public final class ThrottledQueries {

    /** The bound of the first pause. */
    public static final Duration BASE = Duration.ofSeconds(1);
    /** No pause is longer: on S1 one query a unit comes free every 3 s. */
    public static final Duration CAP = Duration.ofSeconds(10);
    /** Runs the query at most this many times: with these values the pauses add up to 45 s at most. */
    public static final int ATTEMPTS = 8;

    /** A query call, run whole on every attempt: it must be safe to repeat (queries only read). */
    @FunctionalInterface
    public interface Query<T> {
        T run() throws IotHubException, IOException;
    }

    /** How the pauses are waited out: {@link Thread#sleep} outside tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    private final Sleeper sleeper;
    private final RandomGenerator random;

    /** Sleeps for real, with pauses drawn by a {@link Random} (safe to share between threads). */
    public ThrottledQueries() {
        this(pause -> Thread.sleep(pause.toMillis()), new Random());
    }

    public ThrottledQueries(Sleeper sleeper, RandomGenerator random) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * The longest pause before retry {@code retry} (0 for the first): {@link #BASE} doubled {@code retry} times, at
     * most {@link #CAP}. With the values above: 1, 2, 4, 8, 10, 10, 10 s.
     */
    public static Duration bound(int retry) {
        if (retry < 0) {
            throw new IllegalArgumentException("retries count from 0, not " + retry);
        }
        // the cap is reached at retry 4; a bounded shift keeps a large retry from overflowing
        Duration doubled = BASE.multipliedBy(1L << Math.min(retry, 20));
        return doubled.compareTo(CAP) > 0 ? CAP : doubled;
    }

    /**
     * The query's result. On {@link IotHubTooManyRequestsException} pauses between zero and {@link #bound}{@code
     * (retry)}, any length in between equally likely, and runs the query again, at most {@link #ATTEMPTS} times in
     * all; then the last 429 is thrown. Any other exception is thrown at once, without a pause.
     */
    public <T> T run(Query<T> query) throws IotHubException, IOException, InterruptedException {
        for (int retry = 0; ; retry++) {
            try {
                return query.run();
            } catch (IotHubTooManyRequestsException throttled) {
                if (retry + 1 >= ATTEMPTS) {
                    throw throttled;
                }
                long boundMillis = bound(retry).toMillis();
                sleeper.sleep(Duration.ofMillis(random.nextLong(boundMillis + 1)));
            }
        }
    }
}
