package lab.devicetwins.tutorial.query;

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
        List<StarterCheck.Outcome> outcomes = check.runExerciseTests(starters, "lab.devicetwins.tutorial.query.exercises");

        assertThat(outcomes).extracting(StarterCheck.Outcome::tags).flatExtracting(tags -> tags)
                .contains("ex-03-1-paging", "ex-03-2-group-by", "ex-03-3-lagging");
        assertThat(outcomes).filteredOn(outcome -> outcome.problem().isPresent())
                .extracting(outcome -> outcome.name() + " " + outcome.problem().orElseThrow())
                .isEmpty();
    }
}
