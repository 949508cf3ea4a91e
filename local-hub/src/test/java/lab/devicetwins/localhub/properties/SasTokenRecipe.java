package lab.devicetwins.localhub.properties;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import lab.devicetwins.localhub.attack.SasSignature;

/**
 * How a generated SAS token is made, and the model of what the hub must make of it. Each ingredient is either
 * harmless (the token means the same), breaking (the token must be refused), or ambiguous (the hub may go either
 * way, but must not grant more than an unbroken token would).
 *
 * @param resource the {@code sr} before encoding, e.g. {@code 127.0.0.1/devices/d1}
 */
record SasTokenRecipe(String resource, SrEncoding encoding, Expiry expiry, SignatureMutation signature,
                      List<Layout> layouts) {

    /** The hub's host names: a token's host must be one of them, in any case. */
    static final Set<String> HUB_HOSTS = Set.of("127.0.0.1", "localhost");

    /** How {@code sr} is written; the hub decodes it once, so all of these name the same resource. */
    enum SrEncoding {
        /** As the docs and the service SDK write it. */
        URL_ENCODED,
        /** As the device SDK writes it: slashes raw. */
        RAW,
        /** Every byte outside letters and digits as {@code %xx} with lower-case hex, dots included. */
        ALL_ESCAPED_LOWER_HEX;

        String apply(String resource) {
            return switch (this) {
                case URL_ENCODED -> URLEncoder.encode(resource, StandardCharsets.UTF_8);
                case RAW -> resource;
                case ALL_ESCAPED_LOWER_HEX -> {
                    StringBuilder out = new StringBuilder();
                    for (byte b : resource.getBytes(StandardCharsets.UTF_8)) {
                        if (Character.isLetterOrDigit((char) b) && b > 0) {
                            out.append((char) b);
                        } else {
                            out.append('%').append(String.format("%02x", b & 0xFF));
                        }
                    }
                    yield out.toString();
                }
            };
        }
    }

    /** {@code se}; only the first two are usable, the rest must be refused. */
    enum Expiry {
        IN_AN_HOUR(true), IN_THE_YEAR_9999(true), A_MINUTE_AGO(false), ZERO(false), MINUS_ONE(false),
        TEN_TO_THE_16(false), TEN_TO_THE_17(false), LONG_MAX(false), LONG_MIN(false), BEYOND_A_LONG(false),
        EXPONENT(false), FRACTION(false), EMPTY(false), WORD(false);

        final boolean usable;

        Expiry(boolean usable) {
            this.usable = usable;
        }

        String text() {
            long now = Instant.now().getEpochSecond();
            return switch (this) {
                case IN_AN_HOUR -> String.valueOf(now + 3600);
                case IN_THE_YEAR_9999 -> "253402300799";
                case A_MINUTE_AGO -> String.valueOf(now - 60);
                case ZERO -> "0";
                case MINUS_ONE -> "-1";
                case TEN_TO_THE_16 -> "10000000000000000";
                case TEN_TO_THE_17 -> "100000000000000000";
                case LONG_MAX -> String.valueOf(Long.MAX_VALUE);
                case LONG_MIN -> String.valueOf(Long.MIN_VALUE);
                case BEYOND_A_LONG -> "99999999999999999999";
                case EXPONENT -> "1e12";
                case FRACTION -> (now + 3600) + ".5";
                case EMPTY -> "";
                case WORD -> "tomorrow";
            };
        }
    }

    /** What happens to {@code sig}. */
    enum SignatureMutation {
        NONE(Effect.HARMLESS), WITH_SECONDARY_KEY(Effect.HARMLESS), NOT_URL_ENCODED(Effect.AMBIGUOUS),
        ONE_CHARACTER_CHANGED(Effect.BREAKING), TRUNCATED(Effect.BREAKING), WITH_ANOTHER_KEY(Effect.BREAKING),
        OVER_ANOTHER_EXPIRY(Effect.BREAKING), EMPTY(Effect.BREAKING), NOT_BASE64(Effect.BREAKING);

        final Effect effect;

        SignatureMutation(Effect effect) {
            this.effect = effect;
        }
    }

    /** What happens to the token's text around the fields. */
    enum Layout {
        REVERSED_FIELDS(Effect.HARMLESS), DEVICE_SDK_ORDER(Effect.HARMLESS),
        EXTRA_FIELD(Effect.AMBIGUOUS), TRAILING_AMPERSAND(Effect.AMBIGUOUS), EMPTY_FIELD(Effect.AMBIGUOUS),
        PREFIX_IN_LOWER_CASE(Effect.AMBIGUOUS), TWO_SPACES_AFTER_PREFIX(Effect.AMBIGUOUS),
        FIELD_NAMES_IN_UPPER_CASE(Effect.AMBIGUOUS),
        SR_TWICE(Effect.BREAKING), SIG_TWICE(Effect.BREAKING), SE_TWICE(Effect.BREAKING), SKN_TWICE(Effect.BREAKING),
        SR_TWICE_WITH_THE_HUB(Effect.BREAKING), WITHOUT_SR(Effect.BREAKING), WITHOUT_SIG(Effect.BREAKING),
        WITHOUT_SE(Effect.BREAKING), WITHOUT_PREFIX(Effect.BREAKING);

        final Effect effect;

        Layout(Effect effect) {
            this.effect = effect;
        }
    }

    enum Effect { HARMLESS, AMBIGUOUS, BREAKING }

    /** A field of the token as written. */
    private record Field(String name, String value) {
        @Override
        public String toString() {
            return name + "=" + value;
        }
    }

    /**
     * The token text.
     *
     * @param key          the key that signs (a policy's or a device's primary key)
     * @param secondaryKey the other key of the same policy or device
     * @param otherKey     a key of somebody else
     * @param policyOrNull {@code skn}, or null for a device-key token
     */
    String token(String key, String secondaryKey, String otherKey, String policyOrNull) {
        String sr = encoding.apply(resource);
        String se = expiry.text();
        String sig = switch (signature) {
            case NONE, NOT_URL_ENCODED -> SasSignature.of(key, sr, se);
            case WITH_SECONDARY_KEY -> SasSignature.of(secondaryKey, sr, se);
            case ONE_CHARACTER_CHANGED -> {
                String good = SasSignature.of(key, sr, se);
                yield (good.charAt(0) == 'A' ? "B" : "A") + good.substring(1);
            }
            case TRUNCATED -> SasSignature.of(key, sr, se).substring(0, 20);
            case WITH_ANOTHER_KEY -> SasSignature.of(otherKey, sr, se);
            case OVER_ANOTHER_EXPIRY -> SasSignature.of(key, sr, se + "1");
            case EMPTY -> "";
            case NOT_BASE64 -> "not*base64!";
        };
        String sigAsSent = signature == SignatureMutation.NOT_URL_ENCODED ? sig : URLEncoder.encode(sig, StandardCharsets.UTF_8);
        List<Field> fields = new ArrayList<>(List.of(new Field("sr", sr), new Field("sig", sigAsSent), new Field("se", se)));
        if (policyOrNull != null) {
            fields.add(new Field("skn", policyOrNull));
        }
        String prefix = "SharedAccessSignature ";
        String suffix = "";
        for (Layout layout : layouts) {
            switch (layout) {
                case REVERSED_FIELDS -> Collections.reverse(fields);
                case DEVICE_SDK_ORDER -> fields.sort((a, b) -> Integer.compare(sdkOrder(a.name()), sdkOrder(b.name())));
                case EXTRA_FIELD -> fields.add(new Field("foo", "bar"));
                case TRAILING_AMPERSAND -> suffix = "&";
                case EMPTY_FIELD -> fields.add(1, new Field("", ""));
                case PREFIX_IN_LOWER_CASE -> prefix = "sharedaccesssignature ";
                case TWO_SPACES_AFTER_PREFIX -> prefix = "SharedAccessSignature  ";
                case FIELD_NAMES_IN_UPPER_CASE -> fields.replaceAll(f -> new Field(f.name().toUpperCase(Locale.ROOT), f.value()));
                case SR_TWICE, SIG_TWICE, SE_TWICE, SKN_TWICE -> {
                    String name = layout.name().substring(0, layout.name().indexOf('_')).toLowerCase(Locale.ROOT);
                    fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst()
                            .ifPresent(f -> fields.add(new Field(f.name(), f.value())));
                }
                case SR_TWICE_WITH_THE_HUB -> fields.add(new Field("sr", URLEncoder.encode("127.0.0.1", StandardCharsets.UTF_8)));
                case WITHOUT_SR -> fields.removeIf(f -> f.name().equalsIgnoreCase("sr"));
                case WITHOUT_SIG -> fields.removeIf(f -> f.name().equalsIgnoreCase("sig"));
                case WITHOUT_SE -> fields.removeIf(f -> f.name().equalsIgnoreCase("se"));
                case WITHOUT_PREFIX -> { } // below: no later prefix layout may bring the prefix back
            }
        }
        if (layouts.contains(Layout.WITHOUT_PREFIX)) {
            prefix = "";
        }
        return prefix + fields.stream().map(f -> f.name().isEmpty() ? "" : f.toString())
                .collect(Collectors.joining("&")) + suffix;
    }

    private static int sdkOrder(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sig" -> 0;
            case "se" -> 1;
            case "sr" -> 2;
            default -> 3;
        };
    }

    /**
     * The worst of the ingredients, {@code sr}'s own content left aside (that is the scope's business). A layout that
     * repeats a field the token lacks leaves its text as it was: a device-key token has no {@code skn} to repeat.
     *
     * @param policyOrNull as for {@link #token}: whether the token carries {@code skn}
     */
    Effect effect(String policyOrNull) {
        Effect worst = expiry.usable ? Effect.HARMLESS : Effect.BREAKING;
        worst = worse(worst, signature.effect);
        for (Layout layout : layouts) {
            worst = worse(worst, layout == Layout.SKN_TWICE && policyOrNull == null ? Effect.HARMLESS : layout.effect);
        }
        return worst;
    }

    private static Effect worse(Effect a, Effect b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /**
     * Whether {@code sr} reaches {@code resourcePath} (e.g. {@code devices/d1}, no host): its first segment is one of
     * the hub's hosts in any case, it has no dot segment, and its other segments are the first segments of the path.
     */
    boolean covers(String resourcePath) {
        List<String> sr = List.of(resource.toLowerCase(Locale.ROOT).split("/", -1));
        if (sr.contains(".") || sr.contains("..") || sr.contains("") || !HUB_HOSTS.contains(sr.get(0))) {
            return false;
        }
        List<String> path = resourcePath.isEmpty() ? List.of() : List.of(resourcePath.toLowerCase(Locale.ROOT).split("/"));
        return sr.size() - 1 <= path.size() && sr.subList(1, sr.size()).equals(path.subList(0, sr.size() - 1));
    }

    @Override
    public String toString() {
        return "sr=" + resource + " " + encoding + " se=" + expiry + " sig=" + signature + " " + layouts;
    }
}
