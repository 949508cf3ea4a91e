package lab.devicetwins.tutorial.e2e;

import java.time.Duration;
import java.time.Instant;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubTooManyRequestsException;

/**
 * Asks again until an assertion holds, at most {@code within}, pausing {@code interval} between tries. A hub that
 * throttles answers 429, which the service SDK throws as {@link IotHubTooManyRequestsException} (not an assertion
 * failure): the pause then doubles, up to a minute, instead of failing the test or making it worse.
 */
record Polling(Duration within, Duration interval) {

    private static final Duration LONGEST_PAUSE = Duration.ofMinutes(1);

    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    void until(Check check) throws Exception {
        Instant deadline = Instant.now().plus(within);
        Duration pause = interval;
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("Still not true after " + within.toSeconds() + " s: " + notYet.getMessage(), notYet);
                }
                pause = interval;
            } catch (IotHubTooManyRequestsException throttled) {
                if (Instant.now().isAfter(deadline)) {
                    throw throttled;
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
            Thread.sleep(pause.toMillis());
        }
    }
}
