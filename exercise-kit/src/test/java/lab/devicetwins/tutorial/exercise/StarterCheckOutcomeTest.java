package lab.devicetwins.tutorial.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StarterCheckOutcomeTest {

    private static final String STARTER_MESSAGE =
            "java.lang.UnsupportedOperationException: ex-01-1-ack-desired: build the reported patch";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            failed with its own starter message                | test      | ex-01-1-ack-desired                    | FAILED     | STARTER    | -
            the starter message as the cause of another error  | test      | ex-01-1-ack-desired                    | FAILED     | WRAPPED    | -
            passed on the starter                              | test      | ex-01-1-ack-desired                    | SUCCESSFUL |            | was successful on the starters
            skipped on the starter                             | test      | ex-01-1-ack-desired                    | SKIPPED    |            | was skipped on the starters
            failed with the message of another exercise        | test      | ex-01-2-offline-catch-up               | FAILED     | STARTER    | failed for another reason
            failed on an assertion                             | test      | ex-01-1-ack-desired                    | FAILED     | ASSERTION  | failed for another reason
            no exercise tag                                    | test      | slow                                   | FAILED     | STARTER    | tagged with 0 exercise ids
            two exercise tags                                  | test      | ex-01-1-ack-desired,ex-01-2-offline-catch-up | FAILED | STARTER | tagged with 2 exercise ids
            a test class that could not start                  | container | ex-01-1-ack-desired                    | FAILED     | ASSERTION  | failed before its tests ran
            """)
    void an_exercise_test_is_fine_on_the_starters_only_when_it_fails_with_its_own_starter_message(
            String situation, String kind, String tags, String status, String thrown, String expectedProblem) {
        String throwables = switch (thrown == null ? "" : thrown) {
            case "STARTER" -> STARTER_MESSAGE;
            case "WRAPPED" -> "java.lang.IllegalStateException: setup failed\n" + STARTER_MESSAGE;
            case "ASSERTION" -> "org.opentest4j.AssertionFailedError: expected 11 but was 1";
            default -> "";
        };
        StarterCheck.Outcome outcome = new StarterCheck.Outcome(kind, situation, List.of(tags.split(",")), status, throwables);

        Optional<String> problem = outcome.problem();

        if (expectedProblem.equals("-")) {
            assertThat(problem).as(situation).isEmpty();
        } else {
            assertThat(problem).as(situation).hasValueSatisfying(text -> assertThat(text).contains(expectedProblem));
        }
    }
}
