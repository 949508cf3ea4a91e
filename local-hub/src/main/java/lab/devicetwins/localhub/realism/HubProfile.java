package lab.devicetwins.localhub.realism;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How real the hub behaves: {@code local} (answers at once, never throttles, a write is in the next query, a token is
 * refused the second it expires) or an IoT Hub tier with a number of units, whose throttles, query index lag, identity
 * propagation and SAS clock-skew tolerance it imitates. Each knob can be set on its own, on any profile.
 *
 * @param tier                null for {@code local}: no throttles
 * @param units               the tier's units (1 for {@code local})
 * @param shapingLimit        how long a request over its throttle may be held before it is answered with 429
 * @param queryLag            how far the query index trails committed writes
 * @param identityPropagation how long after its creation a new identity's connections are refused (CONNACK 3)
 * @param sasExpiryTolerance  how long after its {@code se} a SAS token is still accepted (clock skew)
 * @param connectedTokenGrace how long after its token's {@code se} a connected device is disconnected
 */
public record HubProfile(Tier tier, int units, Duration shapingLimit, Duration queryLag, Duration identityPropagation,
                         Duration sasExpiryTolerance, Duration connectedTokenGrace) {

    /** The profile names the command line and the builder take. */
    public static final List<String> NAMES = List.of("local", "free", "s1", "s2", "s3");
    /** Tier profiles hold a request over its throttle up to this long, then answer 429. */
    public static final Duration DEFAULT_SHAPING_LIMIT = Duration.ofSeconds(5);
    /** Tier profiles' query index lag: "usually seconds" on a real hub, never zero. */
    public static final Duration DEFAULT_QUERY_LAG = Duration.ofSeconds(3);
    /** Tier profiles refuse a new identity's connections this long after it was created. */
    public static final Duration DEFAULT_IDENTITY_PROPAGATION = Duration.ofSeconds(2);
    /**
     * Tier profiles accept a SAS token this long after its expiry: the clock skew IoT Hub's team names ("a constant 5
     * mins"), and the drift beyond which the documentation says connections are refused.
     */
    public static final Duration DEFAULT_SAS_EXPIRY_TOLERANCE = Duration.ofMinutes(5);
    /**
     * Tier profiles disconnect a device this long after its token expired: "token lifespan plus a 10-minute grace
     * period" (IoT Hub's connectivity troubleshooting page, for the Java and .NET SDKs over MQTT).
     */
    public static final Duration DEFAULT_CONNECTED_TOKEN_GRACE = Duration.ofMinutes(10);
    private static final Duration LONGEST = Duration.ofDays(1);

    public HubProfile {
        if (tier == null ? units != 1 : units < 1 || units > tier.maxUnits()) {
            throw new IllegalArgumentException(tier == null ? "the local profile has no units"
                    : "a " + tier.profileName() + " hub has 1" + (tier.maxUnits() > 1 ? " to " + tier.maxUnits() : "")
                    + " unit" + (tier.maxUnits() > 1 ? "s" : "") + ", not " + units);
        }
        shapingLimit = checked("the shaping limit", shapingLimit);
        queryLag = checked("the query lag", queryLag);
        identityPropagation = checked("the identity propagation delay", identityPropagation);
        sasExpiryTolerance = checked("the SAS expiry tolerance", sasExpiryTolerance);
        connectedTokenGrace = checked("the connected token grace", connectedTokenGrace);
    }

    /** Today's behaviour: instant, unthrottled, consistent, exact about expiry. */
    public static HubProfile local() {
        return new HubProfile(null, 1, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** A hub of {@code tier} with {@code units} units and the tier profiles' defaults for the other knobs. */
    public static HubProfile of(Tier tier, int units) {
        Objects.requireNonNull(tier, "tier");
        return new HubProfile(tier, units, DEFAULT_SHAPING_LIMIT, DEFAULT_QUERY_LAG, DEFAULT_IDENTITY_PROPAGATION,
                DEFAULT_SAS_EXPIRY_TOLERANCE, DEFAULT_CONNECTED_TOKEN_GRACE);
    }

    /**
     * The profile a name stands for ({@code local}, {@code free}, {@code s1}, {@code s2}, {@code s3}, in any case).
     *
     * @throws IllegalArgumentException for another name, or units the tier does not have
     */
    public static HubProfile named(String name, int units) {
        String lower = Objects.requireNonNull(name, "name").trim().toLowerCase(Locale.ROOT);
        if (lower.equals("local")) {
            if (units != 1) {
                throw new IllegalArgumentException("the local profile has no units; --units goes with free, s1, s2 or s3");
            }
            return local();
        }
        for (Tier tier : Tier.values()) {
            if (tier.profileName().equals(lower)) {
                return of(tier, units);
            }
        }
        throw new IllegalArgumentException("no profile named '" + name + "'; the profiles are " + String.join(", ", NAMES));
    }

    public String name() {
        return tier == null ? "local" : tier.profileName();
    }

    /** Whether operations are metered against the tier's throttles. */
    public boolean throttles() {
        return tier != null;
    }

    /** The throttles, empty for {@code local}. */
    public Map<Operation, Rate> rates() {
        return tier == null ? Map.of() : tier.rates(units);
    }

    public HubProfile withShapingLimit(Duration limit) {
        return new HubProfile(tier, units, limit, queryLag, identityPropagation, sasExpiryTolerance,
                connectedTokenGrace);
    }

    public HubProfile withQueryLag(Duration lag) {
        return new HubProfile(tier, units, shapingLimit, lag, identityPropagation, sasExpiryTolerance,
                connectedTokenGrace);
    }

    public HubProfile withIdentityPropagation(Duration delay) {
        return new HubProfile(tier, units, shapingLimit, queryLag, delay, sasExpiryTolerance, connectedTokenGrace);
    }

    public HubProfile withSasExpiryTolerance(Duration tolerance) {
        return new HubProfile(tier, units, shapingLimit, queryLag, identityPropagation, tolerance, connectedTokenGrace);
    }

    public HubProfile withConnectedTokenGrace(Duration grace) {
        return new HubProfile(tier, units, shapingLimit, queryLag, identityPropagation, sasExpiryTolerance, grace);
    }

    /** One line for the start banner: "s1, 1 unit; query lag 3s, …". */
    public String summary() {
        if (equals(local())) {
            return "local (no throttling, no query lag, no identity propagation delay, no SAS expiry tolerance)";
        }
        return name() + (tier == null ? "" : ", " + units + " unit" + (units == 1 ? "" : "s")) + "; "
                + String.join(", ", knobs().stream().skip(1).limit(tier == null ? 4 : 5)
                        .map(k -> k.name() + " " + k.value()).toList());
    }

    /** Every knob with its value and where its number comes from, for the inspector and the docs. */
    public List<Knob> knobs() {
        List<Knob> knobs = new ArrayList<>();
        knobs.add(new Knob("profile", name() + (tier == null ? "" : " x " + units), "--profile, --units"));
        if (tier != null) {
            knobs.add(new Knob("shaping limit", format(shapingLimit),
                    "--shaping-limit; the documentation gives no figure for IoT Hub's queue"));
        }
        knobs.add(new Knob("query lag", format(queryLag), "--query-lag; IoT Hub: eventual consistency, usually seconds"));
        knobs.add(new Knob("identity propagation", format(identityPropagation),
                "--identity-propagation; not documented by IoT Hub: its SDKs' tests once waited 5 s, then 3 s, after"
                        + " creating a device; a new identity's connections get CONNACK 3 meanwhile"));
        knobs.add(new Knob("SAS expiry tolerance", format(sasExpiryTolerance),
                "--sas-expiry-tolerance; IoT Hub: 5 minutes of clock skew (drift beyond it is refused)"));
        knobs.add(new Knob("connected token grace", format(connectedTokenGrace),
                "--connected-token-grace; IoT Hub disconnects MQTT devices 10 minutes after their token expired"));
        rates().forEach((operation, rate) -> knobs.add(new Knob(operation.description(), rate.summary(), rate.source())));
        return knobs;
    }

    /** A knob as shown to people. */
    public record Knob(String name, String value, String source) {
    }

    /** "0s", "300ms", "3s", "5m". */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.toMillis() % 60_000 == 0) {
            return duration.toMinutes() + "m";
        }
        if (duration.toMillis() % 1000 == 0) {
            return duration.toSeconds() + "s";
        }
        return duration.toMillis() + "ms";
    }

    /**
     * A duration as people write it on the command line: {@code 0}, {@code 250ms}, {@code 3s}, {@code 5m}.
     *
     * @throws IllegalArgumentException for anything else, or more than a day
     */
    public static Duration parseDuration(String text) {
        String t = Objects.requireNonNull(text, "text").trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < t.length() && Character.isDigit(t.charAt(split))) {
            split++;
        }
        String digits = t.substring(0, split);
        String unit = t.substring(split);
        if (digits.isEmpty() || digits.length() > 9 || !(unit.isEmpty() && digits.equals("0")
                || unit.equals("ms") || unit.equals("s") || unit.equals("m"))) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 0, 250ms, 3s or 5m");
        }
        long amount = Long.parseLong(digits);
        Duration duration = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ZERO;
        };
        return checked("a duration", duration);
    }

    private static Duration checked(String what, Duration duration) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException(what + " must lie between 0 and 1 day, not " + duration);
        }
        return duration;
    }
}
