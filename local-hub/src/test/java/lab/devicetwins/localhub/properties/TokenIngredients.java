package lab.devicetwins.localhub.properties;

import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.enumValues;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import lab.devicetwins.localhub.properties.SasTokenRecipe.Expiry;
import lab.devicetwins.localhub.properties.SasTokenRecipe.Layout;
import lab.devicetwins.localhub.properties.SasTokenRecipe.SignatureMutation;
import lab.devicetwins.localhub.properties.SasTokenRecipe.SrEncoding;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;

/**
 * Generators for the parts of a {@link SasTokenRecipe}, each weighted towards the sound ingredient, so that about two
 * tokens in five are sound (every ingredient harmless), half are broken and the rest ambiguous. Whether a sound token
 * is granted is then up to its scope and signer, which the properties draw.
 */
final class TokenIngredients {
    private TokenIngredients() {
    }

    /** Recipes for the resources {@code resources} names, every other ingredient drawn from the weights below. */
    static Gen<SasTokenRecipe> recipes(Gen<String> resources) {
        return resources.zip(enumValues(SrEncoding.class), expiries(), signatures(), layouts(), SasTokenRecipe::new);
    }

    /** Six in ten in an hour, one in ten in the year 9999, three in ten any expiry (usable or not). */
    static Gen<Expiry> expiries() {
        return frequency(List.of(
                Pair.of(6, constant(Expiry.IN_AN_HOUR)),
                Pair.of(1, constant(Expiry.IN_THE_YEAR_9999)),
                Pair.of(3, enumValues(Expiry.class))));
    }

    /** Six in ten untouched, one in ten by the secondary key, three in ten any mutation. */
    static Gen<SignatureMutation> signatures() {
        return frequency(List.of(
                Pair.of(6, constant(SignatureMutation.NONE)),
                Pair.of(1, constant(SignatureMutation.WITH_SECONDARY_KEY)),
                Pair.of(3, enumValues(SignatureMutation.class))));
    }

    /** Six in ten as written, one in ten reordered, three in ten one or two of any layout change. */
    static Gen<List<Layout>> layouts() {
        return frequency(List.of(
                Pair.of(6, constant(List.<Layout>of())),
                Pair.of(1, pick(List.of(Layout.REVERSED_FIELDS, Layout.DEVICE_SDK_ORDER))
                        .map(layout -> List.of(layout))),
                Pair.of(3, lists().of(enumValues(Layout.class)).ofSizeBetween(1, 2))));
    }
}
