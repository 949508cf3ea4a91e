package lab.devicetwins.tutorial.query;

import lab.devicetwins.tutorial.exercise.StartersFailTheirExercises;

/** CI's proof that this step's starters compile and leave every exercise test failing with the starter's message. */
class StartersFailTheirExercisesTest extends StartersFailTheirExercises {

    StartersFailTheirExercisesTest() {
        super("lab.devicetwins.tutorial.query.exercises",
                "ex-03-1-paging", "ex-03-2-group-by", "ex-03-3-lagging", "ex-03-4-back-off");
    }
}
