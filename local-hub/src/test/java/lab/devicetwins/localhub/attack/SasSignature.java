package lab.devicetwins.localhub.attack;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code sig} of a SAS token over any {@code sr} and {@code se} text, so a test can build tokens that are signed
 * correctly but malformed elsewhere ({@code SasToken.create} only writes well-formed ones).
 */
public final class SasSignature {
    private SasSignature() {
    }

    /** Base64 of HMAC-SHA256 keyed with the decoded key over {@code srAsSent + "\n" + seAsSent}; not URL-encoded. */
    public static String of(String base64Key, String srAsSent, String seAsSent) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(
                    mac.doFinal((srAsSent + "\n" + seAsSent).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is available on every Java runtime", e);
        }
    }
}
