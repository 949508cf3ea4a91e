package lab.devicetwins.tutorial.exercise;

import org.assertj.core.api.Assertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions the exercise tests share. */
public final class ExerciseAssertions {

    private ExerciseAssertions() {
    }

    /**
     * What {@code call} threw, like AssertJ's {@code catchThrowable}, except a starter's "not implemented yet"
     * ({@link UnsupportedOperationException}): that one is rethrown, so a learner sees the starter's message and
     * not an assertion about some other exception.
     */
    public static Throwable thrownBy(ThrowingCallable call) {
        Throwable thrown = Assertions.catchThrowable(call);
        if (thrown instanceof UnsupportedOperationException notImplemented) {
            throw notImplemented;
        }
        return thrown;
    }
}
