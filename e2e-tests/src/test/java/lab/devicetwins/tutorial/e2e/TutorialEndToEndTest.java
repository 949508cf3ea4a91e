package lab.devicetwins.tutorial.e2e;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tutorial's scenarios against the hub in {@code IOTHUB_CONNECTION_STRING} when it is set, else against a
 * local hub started in the test JVM.
 */
@ExtendWith(HubUnderTest.class)
class TutorialEndToEndTest extends TutorialScenarios {
}
