package lab.devicetwins.tutorial.service;

import lab.devicetwins.tutorial.exercise.StartersFailTheirExercises;

/** CI's proof that this step's starters compile and leave every exercise test failing with the starter's message. */
class StartersFailTheirExercisesTest extends StartersFailTheirExercises {

    StartersFailTheirExercisesTest() {
        super("lab.devicetwins.tutorial.service.exercises",
                "ex-02-1-if-match-retry", "ex-02-2-remove-desired", "ex-02-3-await-ack");
    }
}
