package lab.devicetwins.localhub.properties;

import java.util.List;
import lab.devicetwins.localhub.properties.SasTokenRecipe.Expiry;
import lab.devicetwins.localhub.properties.SasTokenRecipe.Layout;
import lab.devicetwins.localhub.properties.SasTokenRecipe.SignatureMutation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Arbitraries for the parts of a {@link SasTokenRecipe}, weighted so that about half the tokens are sound: the
 * property then sees grants as often as refusals, and a hub that refuses everything fails it as surely as one that
 * grants too much.
 */
final class TokenIngredients {
    private TokenIngredients() {
    }

    static Arbitrary<Expiry> expiries() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Expiry.IN_AN_HOUR)),
                Tuple.of(1, Arbitraries.just(Expiry.IN_THE_YEAR_9999)),
                Tuple.of(3, Arbitraries.of(Expiry.class)));
    }

    static Arbitrary<SignatureMutation> signatures() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(SignatureMutation.NONE)),
                Tuple.of(1, Arbitraries.just(SignatureMutation.WITH_SECONDARY_KEY)),
                Tuple.of(3, Arbitraries.of(SignatureMutation.class)));
    }

    static Arbitrary<List<Layout>> layouts() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(List.<Layout>of())),
                Tuple.of(1, Arbitraries.of(Layout.REVERSED_FIELDS, Layout.DEVICE_SDK_ORDER).map(List::of)),
                Tuple.of(3, Arbitraries.of(Layout.class).list().ofMinSize(1).ofMaxSize(2)));
    }
}
