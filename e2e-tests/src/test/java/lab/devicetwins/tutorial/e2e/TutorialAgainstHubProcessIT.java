package lab.devicetwins.tutorial.e2e;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tutorial's scenarios against a local hub that runs as its own process and is known to the apps only by
 * the variables of its hub.env, proving the "real hub through environment variables" path without Azure.
 * Run by failsafe, after surefire's JVM (and its embedded hub on port 8883) has ended.
 */
@ExtendWith(SeparateHubProcess.class)
class TutorialAgainstHubProcessIT extends TutorialScenarios {
}
