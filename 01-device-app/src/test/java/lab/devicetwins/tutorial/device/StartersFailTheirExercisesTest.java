package lab.devicetwins.tutorial.device;

import lab.devicetwins.tutorial.exercise.StartersFailTheirExercises;

/** CI's proof that this step's starters compile and leave every exercise test failing with the starter's message. */
class StartersFailTheirExercisesTest extends StartersFailTheirExercises {

    StartersFailTheirExercisesTest() {
        super("lab.devicetwins.tutorial.device.exercises",
                "ex-01-1-ack-desired", "ex-01-2-offline-catch-up", "ex-01-3-stale-reported");
    }
}
