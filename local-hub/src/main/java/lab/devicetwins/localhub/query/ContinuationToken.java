package lab.devicetwins.localhub.query;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/**
 * Where the next page starts: the sort key of the last row sent and how many rows were sent so far (for TOP),
 * tied to the query it was issued for. Sent as Base64 (URL alphabet) of a small JSON object; clients treat it as
 * opaque.
 */
record ContinuationToken(String queryFingerprint, String lastKey, int returned) {

    /** A count of rows sent as our tokens write it: digits only, no sign, fraction or exponent. */
    private static final Pattern COUNT = Pattern.compile("0|[1-9][0-9]{0,9}");

    static ContinuationToken after(TwinQuery query, String lastKey, int returned) {
        return new ContinuationToken(fingerprint(query), lastKey, returned);
    }

    String encode() {
        JsonObject json = new JsonObject();
        json.addProperty("q", queryFingerprint);
        json.addProperty("k", lastKey);
        json.addProperty("n", returned);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a token the client sent back, refusing garbage and tokens issued for another query. */
    static ContinuationToken decode(String token, TwinQuery query) {
        ContinuationToken decoded = parse(token);
        if (decoded == null) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "The x-ms-continuation header is not a "
                    + "continuation token issued by the local hub; send the token from the previous response unchanged");
        }
        if (!decoded.queryFingerprint.equals(fingerprint(query)) || decoded.returned < 0) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "The x-ms-continuation token belongs to a different "
                    + "query; send it with exactly the query text it was returned for");
        }
        return decoded;
    }

    /** The token's content, or null when it is not one of ours. */
    private static ContinuationToken parse(String token) {
        JsonElement json;
        try {
            json = JsonParser.parseString(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | JsonParseException notBase64OrJson) {
            return null;
        }
        if (!json.isJsonObject()) {
            return null;
        }
        JsonObject fields = json.getAsJsonObject();
        for (String field : new String[] {"q", "k", "n"}) {
            if (!(fields.get(field) instanceof JsonPrimitive)) {
                return null;
            }
        }
        JsonPrimitive returned = fields.getAsJsonPrimitive("n");
        // Checked as text: Gson's own conversions throw on numbers such as 1e99999 instead of saying "not a count".
        if (!returned.isNumber() || !COUNT.matcher(returned.getAsString()).matches()
                || Long.parseLong(returned.getAsString()) > Integer.MAX_VALUE) {
            return null;
        }
        return new ContinuationToken(fields.get("q").getAsString(), fields.get("k").getAsString(),
                Integer.parseInt(returned.getAsString()));
    }

    private static String fingerprint(TwinQuery query) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(query.text().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK has SHA-256", impossible);
        }
    }
}
