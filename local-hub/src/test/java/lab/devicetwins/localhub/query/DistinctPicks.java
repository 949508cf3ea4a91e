package lab.devicetwins.localhub.query;

import java.util.ArrayList;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Lists of distinct elements of a pool, for property tests: device ids of a fleet, paths of a projection.
 * QuickTheories has no set generator, and dropping repeats from a list would make short lists likelier than the
 * size asked for, so the elements are drawn without replacement.
 */
final class DistinctPicks {

    private DistinctPicks() {
    }

    /** Between {@code minSize} and {@code maxSize} (at most the pool's size) distinct elements, in drawing order. */
    static <T> Gen<List<T>> of(List<T> pool, int minSize, int maxSize) {
        Gen<Integer> sizes = Generate.range(minSize, Math.min(maxSize, pool.size()));
        return source -> {
            int size = sizes.generate(source);
            List<T> remaining = new ArrayList<>(pool);
            List<T> picked = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                int at = Generate.range(0, remaining.size() - 1).generate(source);
                picked.add(remaining.remove(at));
            }
            return picked;
        };
    }
}
