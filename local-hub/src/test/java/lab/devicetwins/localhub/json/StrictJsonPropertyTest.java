package lab.devicetwins.localhub.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import org.junit.jupiter.api.Test;

/**
 * Properties of the reader over generated documents: what Gson writes reads back, garbage and edited documents
 * are only ever refused as an invalid argument, and what the reader accepts Gson's strict reader reads the same
 * way. QuickTheories draws the samples' seeds, a few hundred per property, from a run seed that changes every run; a
 * failure names the run seed so {@code -Dstrictjson.seed=...} replays it.
 */
class StrictJsonPropertyTest {
    private static final long RUN_SEED = Long.getLong("strictjson.seed", new Random().nextLong());
    private static final int TRIES = 400;
    /** The rules StrictJson adds to Gson's strict reader, which also skips a byte order mark. */
    private static final String STRICTER_THAN_GSON = "(?s)(duplicate object key|unpaired surrogate escape"
            + "|number outside the range|arrays and objects nested deeper|unexpected byte order mark).*";

    @Test
    void any_tree_gson_writes_reads_back_equal_and_is_written_again_identically() {
        forAll(samples -> {
            JsonElement tree = samples.tree();
            // the html-safe writer spells < > & = ' as Unicode escapes, so both escape styles are read
            String htmlSafe = new GsonBuilder().serializeNulls().create().toJson(tree);
            for (String written : new String[] {tree.toString(), htmlSafe}) {
                JsonElement parsed = StrictJson.parse(written.getBytes(StandardCharsets.UTF_8));

                assertThat(parsed).as(written).isEqualTo(tree);
                assertThat(parsed.toString()).as(written).isEqualTo(tree.toString());
            }
        });
    }

    @Test
    void arbitrary_bytes_are_read_or_refused_as_an_invalid_argument() {
        forAll(samples -> readOrRefuse(samples.bytes(48)));
    }

    @Test
    void edited_documents_are_read_or_refused_as_an_invalid_argument() {
        forAll(samples -> readOrRefuse(samples.mutatedDocument()));
    }

    @Test
    void an_edited_document_is_read_as_gsons_strict_reader_reads_it_unless_a_stricter_rule_refuses_it() {
        AtomicInteger accepted = new AtomicInteger();
        forAll(samples -> {
            byte[] bytes = samples.mutatedDocument();
            Optional<JsonElement> gson = readByGsonStrictly(bytes);
            JsonElement strict;
            try {
                strict = StrictJson.parse(bytes);
            } catch (HubException refused) {
                if (gson.isPresent()) {
                    assertThat(refused.getMessage()).as(hex(bytes)).matches(STRICTER_THAN_GSON);
                }
                return;
            }
            accepted.incrementAndGet();
            assertThat(gson).as("Gson's strict reading of %s", hex(bytes)).isPresent();
            assertThat(strict).as(hex(bytes)).isEqualTo(gson.get());
            assertThat(strict.toString()).as(hex(bytes)).isEqualTo(gson.get().toString());
        });
        // about one edit in ten leaves a valid document; far fewer would mean the comparison rarely ran
        assertThat(accepted.get()).as("accepted edited documents, run seed %d", RUN_SEED).isGreaterThan(TRIES / 40);
    }

    private static void readOrRefuse(byte[] bytes) {
        try {
            StrictJson.parse(bytes);
        } catch (HubException refused) {
            assertThat(refused.errorCode()).isEqualTo(HubErrorCode.ARGUMENT_INVALID);
            assertThat(refused.getMessage()).as(hex(bytes))
                    .matches("[^\\r\\n\\u0085\\u2028\\u2029]+ at line [1-9][0-9]*, column [1-9][0-9]*");
        }
    }

    /** Gson in its strict mode, reading only valid UTF-8 and exactly one value. */
    private static Optional<JsonElement> readByGsonStrictly(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            return Optional.empty();
        }
        if (text.isBlank()) {
            return Optional.empty(); // Gson reads an empty text as null
        }
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            JsonElement tree = JsonParser.parseReader(reader);
            return reader.peek() == JsonToken.END_DOCUMENT ? Optional.of(tree) : Optional.empty();
        } catch (JsonParseException | IOException | IllegalStateException refused) {
            return Optional.empty();
        }
    }

    /**
     * Runs the property on {@link #TRIES} samples. Anything thrown, a StackOverflowError included, fails the test
     * with the sample's seed and the run's seed.
     */
    private static void forAll(Consumer<JsonSamples> property) {
        qt().withFixedSeed(RUN_SEED).withExamples(TRIES).withShrinkCycles(0)
                .forAll(longs().all())
                .checkAssert(seed -> {
                    try {
                        property.accept(new JsonSamples(seed));
                    } catch (StackOverflowError tooDeep) {
                        throw new AssertionError("stack overflow on the sample of seed " + seed, tooDeep);
                    } catch (AssertionError | RuntimeException failure) {
                        throw new AssertionError("sample seed " + seed + " of run seed " + RUN_SEED
                                + " (replay with -Dstrictjson.seed=" + RUN_SEED + "): " + failure.getMessage(), failure);
                    }
                });
    }

    private static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
