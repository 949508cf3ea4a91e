package lab.devicetwins.localhub.auth;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/**
 * A parsed {@code SharedAccessSignature sr=…&sig=…&se=…[&skn=…]} token.
 *
 * <p>The SDKs disagree on how they write {@code sr}: the Java device SDK sends it raw ({@code host/devices/dev1}) and
 * signs the raw text, the Java service SDK and the Node SDKs send it URL-encoded and sign the encoded text. So the
 * signature is always checked over {@code sr} exactly as sent, and only the scope check looks at the decoded form.
 * Fields may come in any order.
 */
public final class SasToken {

    private static final String PREFIX = "SharedAccessSignature";
    private static final String HMAC = "HmacSHA256";
    /** 9999-12-31T23:59:59Z: the last second IoT Hub's own timestamp format can write. */
    public static final long LATEST_EXPIRY = 253_402_300_799L;

    private final String resourceAsSent;
    private final String resourceForScope;
    private final String signature;
    private final byte[] signatureBytes;
    private final long expirySeconds;
    private final String keyName;

    private SasToken(String resourceAsSent, String resourceForScope, String signature, byte[] signatureBytes,
            long expirySeconds, String keyName) {
        this.resourceAsSent = resourceAsSent;
        this.resourceForScope = resourceForScope;
        this.signature = signature;
        this.signatureBytes = signatureBytes;
        this.expirySeconds = expirySeconds;
        this.keyName = keyName;
    }

    /**
     * Reads a token: the word {@code SharedAccessSignature}, one space, then {@code key=value} fields separated by
     * {@code &}. {@code sr}, {@code sig} and {@code se} are required, {@code skn} is optional, other fields are ignored.
     *
     * @throws HubException {@link HubErrorCode#IOT_HUB_UNAUTHORIZED_ACCESS} saying what is malformed
     */
    public static SasToken parse(String token) {
        if (token == null || token.isBlank()) {
            throw malformed("the SAS token is empty");
        }
        String trimmed = token.trim();
        int space = trimmed.indexOf(' ');
        if (space < 0 || !trimmed.substring(0, space).equals(PREFIX)) {
            throw malformed("a SAS token must start with '" + PREFIX + " ' followed by sr=…&sig=…&se=…");
        }
        Map<String, String> fields = fields(trimmed.substring(space + 1).trim());
        String sr = required(fields, "sr");
        String sig = required(fields, "sig");
        String se = required(fields, "se");

        long expiry = expiry(se);
        String decodedSig = percentDecode(sig, "sig");
        byte[] sigBytes = base64Signature(decodedSig);
        String resourceForScope = percentDecode(sr, "sr").toLowerCase(Locale.ROOT);
        String skn = fields.get("skn");
        if (skn != null) {
            skn = percentDecode(skn, "skn");
            if (skn.isEmpty()) {
                throw malformed("skn (the policy name) is present but empty");
            }
        }
        return new SasToken(sr, resourceForScope, decodedSig, sigBytes, expiry, skn);
    }

    /**
     * {@code se}: decimal digits only (no sign, no exponent, no fraction), at most {@link #LATEST_EXPIRY}. Anything
     * else is a token the hub cannot honour, refused like any other malformed token rather than failing later.
     */
    private static long expiry(String se) {
        boolean digitsOnly = !se.isEmpty() && se.length() <= 19 && se.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digitsOnly) {
            throw malformed("se must be the expiry in whole seconds since 1970-01-01 UTC (digits only), but is '"
                    + printable(se) + "'");
        }
        long seconds = Long.parseLong(se);
        if (seconds > LATEST_EXPIRY) {
            throw malformed("se " + seconds + " lies after 9999-12-31T23:59:59Z, the latest expiry the hub accepts");
        }
        return seconds;
    }

    /** Expiry text echoed in a message: cut short and without control characters. */
    private static String printable(String text) {
        String cut = text.length() > 32 ? text.substring(0, 32) + "…" : text;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static Map<String, String> fields(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String field : text.split("&")) {
            if (field.isEmpty()) {
                continue;
            }
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw malformed("the field '" + field + "' is not of the form key=value");
            }
            String key = field.substring(0, equals);
            if (fields.putIfAbsent(key, field.substring(equals + 1)) != null) {
                throw malformed("the field '" + key + "' appears more than once");
            }
        }
        return fields;
    }

    private static String required(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            throw malformed("the field '" + key + "' is missing or empty (a SAS token needs sr, sig and se)");
        }
        return value;
    }

    private static byte[] base64Signature(String sig) {
        try {
            return Base64.getDecoder().decode(sig);
        } catch (IllegalArgumentException notStandard) {
            try {
                // Not what the SDKs send, but harmless to accept: the URL-safe alphabet some hand-made tokens use.
                return Base64.getUrlDecoder().decode(sig);
            } catch (IllegalArgumentException e) {
                throw malformed("sig is not a Base64 HMAC-SHA256 signature");
            }
        }
    }

    /**
     * Decodes {@code %XX} escapes only. A {@code +} stays a {@code +}: Base64 signatures and device ids may contain
     * it, and an encoder that meant a space cannot have produced a valid host or device id.
     */
    private static String percentDecode(String text, String field) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            int c = text.codePointAt(i);
            if (c != '%') {
                bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c) - 1;
                continue;
            }
            int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (high < 0 || low < 0) {
                throw malformed(field + " has an invalid percent escape at position " + (i + 1));
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static HubException malformed(String why) {
        return new HubException(HubErrorCode.IOT_HUB_UNAUTHORIZED_ACCESS, "Malformed SAS token: " + why + ".");
    }

    /** {@code sr} exactly as it appeared in the token; this is the text the signature covers. */
    public String resourceAsSent() {
        return resourceAsSent;
    }

    /** {@code sr} URL-decoded and lower-cased, for comparing with host names and device ids. */
    public String resourceForScope() {
        return resourceForScope;
    }

    /** The URL-decoded {@code sig}: Base64 of the HMAC-SHA256. */
    public String signature() {
        return signature;
    }

    /** {@code se}: when the token stops being valid, in seconds since the epoch. */
    public long expirySeconds() {
        return expirySeconds;
    }

    public Instant expiry() {
        return Instant.ofEpochSecond(expirySeconds);
    }

    /** {@code skn}: the shared access policy that signed the token; empty for tokens signed with a device key. */
    public Optional<String> keyName() {
        return Optional.ofNullable(keyName);
    }

    /**
     * Whether {@code sig} is the HMAC-SHA256, keyed with the Base64-decoded {@code base64Key}, of {@code sr} as sent
     * + {@code "\n"} + {@code se}. Compares in constant time. A key that is not Base64 signs nothing.
     */
    public boolean isSignedWith(String base64Key) {
        if (base64Key == null || base64Key.isEmpty()) {
            return false;
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (key.length == 0) {
            return false;
        }
        return MessageDigest.isEqual(hmac(key, resourceAsSent + "\n" + expirySeconds), signatureBytes);
    }

    /**
     * Writes a token the way the IoT Hub documentation describes: {@code sr} URL-encoded, signed over that encoded
     * text, fields in the order {@code sr, sig, se, skn}. For tests and tools.
     *
     * @param resourceUri    e.g. {@code myhub.azure-devices.net/devices/dev1}, not yet encoded
     * @param keyNameOrNull  the policy name, or null for a device key
     */
    public static String create(String resourceUri, String base64Key, String keyNameOrNull, Instant expiry) {
        Objects.requireNonNull(resourceUri, "resourceUri");
        Objects.requireNonNull(base64Key, "base64Key");
        byte[] key = Base64.getDecoder().decode(base64Key);
        if (key.length == 0) {
            throw new IllegalArgumentException("the key is empty");
        }
        long se = expiry.getEpochSecond();
        String sr = URLEncoder.encode(resourceUri, StandardCharsets.UTF_8);
        byte[] mac = hmac(key, sr + "\n" + se);
        String sig = URLEncoder.encode(Base64.getEncoder().encodeToString(mac), StandardCharsets.UTF_8);
        String token = PREFIX + " sr=" + sr + "&sig=" + sig + "&se=" + se;
        return keyNameOrNull == null ? token : token + "&skn=" + URLEncoder.encode(keyNameOrNull, StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is available on every Java runtime", e);
        }
    }

    /** Leaves the signature out, so tokens can be logged. */
    @Override
    public String toString() {
        return "SasToken[sr=" + resourceAsSent + ", se=" + expirySeconds + (keyName == null ? "" : ", skn=" + keyName) + "]";
    }
}
