package lab.devicetwins.tutorial.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import lab.devicetwins.tutorial.exercise.StarterCheck;

/** CI's proof that the step's starters compile and leave every exercise test failing with the starter's message. */
@Tag("starter-check")
class StartersFailTheirExercisesTest {

    @Test
    void every_exercise_test_fails_on_the_starters_with_the_message_of_its_exercise() {
        // With -Pstarters a learner is editing the starters: this check is about the untouched ones.
        assumeTrue(!"starter".equals(System.getProperty("exercises.variant")), "skipped with -Pstarters");
        StarterCheck check = StarterCheck.ofThisModule();
        assertThat(check.unpairedExerciseFiles()).as("starters without a solution, or solutions without a starter").isEmpty();

        Path starters = check.compileStarters();
        List<StarterCheck.Outcome> outcomes = check.runExerciseTests(starters, "lab.devicetwins.tutorial.device.exercises");

        assertThat(outcomes).extracting(StarterCheck.Outcome::tags).flatExtracting(tags -> tags)
                .contains("ex-01-1-ack-desired", "ex-01-2-offline-catch-up", "ex-01-3-stale-reported");
        assertThat(outcomes).filteredOn(outcome -> outcome.problem().isPresent())
                .extracting(outcome -> outcome.name() + " " + outcome.problem().orElseThrow())
                .isEmpty();
    }
}
