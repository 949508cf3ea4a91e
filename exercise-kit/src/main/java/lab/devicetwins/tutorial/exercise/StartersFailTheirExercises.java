package lab.devicetwins.tutorial.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * CI's proof that a step's starters compile and leave every exercise test failing with the starter's message. Each
 * step module has one subclass naming its exercise package and exercise ids.
 */
@Tag("starter-check")
public abstract class StartersFailTheirExercises {
    private final String exercisePackage;
    private final List<String> exerciseIds;

    protected StartersFailTheirExercises(String exercisePackage, String... exerciseIds) {
        this.exercisePackage = exercisePackage;
        this.exerciseIds = List.of(exerciseIds);
    }

    @Test
    void every_exercise_test_fails_on_the_starters_with_the_message_of_its_exercise() {
        // With -Pstarters a learner is editing the starters: this check is about the untouched ones.
        assumeTrue(!"starter".equals(System.getProperty("exercises.variant")), "skipped with -Pstarters");
        StarterCheck check = StarterCheck.ofThisModule();
        assertThat(check.unpairedExerciseFiles()).as("starters without a solution, or solutions without a starter").isEmpty();

        Path starters = check.compileStarters();
        List<StarterCheck.Outcome> outcomes = check.runExerciseTests(starters, exercisePackage);

        assertThat(outcomes).extracting(StarterCheck.Outcome::tags).flatExtracting(tags -> tags)
                .containsAll(exerciseIds);
        assertThat(outcomes).filteredOn(outcome -> outcome.problem().isPresent())
                .extracting(outcome -> outcome.name() + " " + outcome.problem().orElseThrow())
                .isEmpty();
    }
}
