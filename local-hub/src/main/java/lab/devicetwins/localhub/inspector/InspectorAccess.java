package lab.devicetwins.localhub.inspector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Who may use the inspector: decided for every request before it reaches a handler, from the {@code Host} and
 * {@code Origin} headers and the secret the request carries. Pure: no I/O, so every rule is unit-tested.
 *
 * <ul>
 *   <li>{@code Host} must name a loopback address the inspector answers on, with its port. A page on
 *   {@code evil.example} whose name an attacker re-points to 127.0.0.1 (DNS rebinding) sends
 *   {@code Host: evil.example:port} and is refused before its secret is even looked at.</li>
 *   <li>{@code Origin}, on a request that changes something and on the event stream, must be the inspector's own
 *   ({@code http://} + an allowed host). A state-changing request must carry one (browsers always send it there), so
 *   a form or script on another site cannot act for the user (CSRF); a same-origin {@code EventSource} sends none.</li>
 *   <li>The secret, made anew at each start, comes from the printed URL's {@code token} parameter or from the
 *   cookie the inspector sets when that URL is opened; missing is 401, wrong is 403. It is compared in constant
 *   time.</li>
 * </ul>
 */
public final class InspectorAccess {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The outcome for one request: allowed, or the status and the reason to answer with. */
    public record Decision(boolean allowed, int status, String reason) {
        static final Decision ALLOW = new Decision(true, 200, "");

        static Decision refuse(int status, String reason) {
            return new Decision(false, status, reason);
        }
    }

    private final byte[] secret;
    private final String secretText;
    private final int port;
    private final Set<String> hosts;
    private final Set<String> origins;

    /**
     * @param secret    the secret of this start ({@link #newSecret()})
     * @param bindHost  the loopback address the inspector listens on (also accepted in {@code Host})
     * @param port      the port it listens on
     */
    public InspectorAccess(String secret, String bindHost, int port) {
        this.secretText = Objects.requireNonNull(secret, "secret");
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.port = port;
        Set<String> names = new LinkedHashSet<>();
        names.add("127.0.0.1");
        names.add("localhost");
        names.add("[::1]");
        names.add(bindHost.contains(":") && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost);
        Set<String> hostHeaders = new LinkedHashSet<>();
        Set<String> allowedOrigins = new LinkedHashSet<>();
        for (String name : names) {
            String withPort = name.toLowerCase(Locale.ROOT) + ":" + port;
            hostHeaders.add(withPort);
            allowedOrigins.add("http://" + withPort);
        }
        this.hosts = Set.copyOf(hostHeaders);
        this.origins = Set.copyOf(allowedOrigins);
    }

    /** 32 random bytes, URL-safe base64: what the printed URL carries. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The secret of this start; only for the URL printed at start and the cookie. */
    String secret() {
        return secretText;
    }

    /** True when {@code host} (a {@code Host} header) names this inspector on a loopback name and its port. */
    public boolean hostAllowed(String host) {
        return host != null && hosts.contains(host.trim().toLowerCase(Locale.ROOT));
    }

    /** True when {@code origin} (an {@code Origin} header) is this inspector's own. */
    public boolean originAllowed(String origin) {
        return origin != null && origins.contains(origin.trim().toLowerCase(Locale.ROOT));
    }

    /** Constant-time comparison of a presented secret with this start's; false for null. */
    public boolean secretMatches(String presented) {
        if (presented == null) {
            return false;
        }
        // MessageDigest.isEqual takes the same time for every content of equal length
        return MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decides a request.
     *
     * @param host          the {@code Host} header, or null
     * @param origin        the {@code Origin} header, or null
     * @param secret        the secret the request carries (query parameter or cookie), or null
     * @param originChecked true for a state-changing request or the event stream
     * @param originRequired true for a state-changing request: no {@code Origin} is refused too
     */
    public Decision decide(String host, String origin, String secret, boolean originChecked, boolean originRequired) {
        if (!hostAllowed(host)) {
            return Decision.refuse(403, "this inspector answers only to http://127.0.0.1:" + port
                    + " or http://localhost:" + port + " (the Host header names another site)");
        }
        if (originChecked && (origin != null || originRequired) && !originAllowed(origin)) {
            return Decision.refuse(403, origin == null ? "a request that changes something must say where it comes "
                    + "from (Origin)" : "requests from another site (Origin " + origin + ") are refused");
        }
        if (secret == null || secret.isEmpty()) {
            return Decision.refuse(401, "open the inspector with the URL the hub printed at start (it carries ?token=…)");
        }
        if (!secretMatches(secret)) {
            return Decision.refuse(403, "this token is not the one of the running hub: it changes at each start; open "
                    + "the URL the hub printed this time");
        }
        return Decision.ALLOW;
    }

    /** The cookie's name: one per port, so two hubs' inspectors on one machine keep their own. */
    public String cookieName() {
        return "localhub_inspector_" + port;
    }

    /** The {@code Set-Cookie} value that carries the secret from then on, out of the page's reach. */
    public String setCookie() {
        return cookieName() + "=" + secretText + "; Path=/; HttpOnly; SameSite=Strict";
    }

    /** The secret in a {@code Cookie} header, or null. */
    public String secretFromCookies(String cookieHeader) {
        if (cookieHeader == null) {
            return null;
        }
        String name = cookieName() + "=";
        for (String part : cookieHeader.split(";")) {
            String cookie = part.trim();
            if (cookie.startsWith(name)) {
                return cookie.substring(name.length());
            }
        }
        return null;
    }
}
