package lab.devicetwins.localhub.twin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks every key and value of an incoming twin write against IoT Hub's rules, before anything is applied.
 * Sizes of the resulting section are checked separately ({@link SectionSizeCheck}), because they depend on what
 * the write lands on.
 */
final class TwinRules {
    /** A number written without fraction or exponent is an integer; the hub's JSON reader makes the same cut. */
    private static final Pattern INTEGER_LITERAL = Pattern.compile("-?\\d+");
    /** {@code -4503599627370496}: the longest integer literal in range. */
    private static final int MAX_INTEGER_LITERAL_LENGTH = Long.toString(TwinLimits.MIN_INTEGER).length();
    private static final BigInteger MIN_INTEGER = BigInteger.valueOf(TwinLimits.MIN_INTEGER);
    private static final BigInteger MAX_INTEGER = BigInteger.valueOf(TwinLimits.MAX_INTEGER);

    private final TwinLimits limits;

    TwinRules(TwinLimits limits) {
        this.limits = limits;
    }

    /** @param write the body of one section, without the read-only root keys {@code $version} and {@code $metadata} */
    void check(TwinSection section, JsonObject write) {
        checkMembers(write, section.path(), 0, false);
    }

    private void checkMembers(JsonObject object, String path, int depth, boolean insideArray) {
        for (Map.Entry<String, JsonElement> member : object.entrySet()) {
            String memberPath = path + "." + member.getKey();
            checkKey(member.getKey(), memberPath);
            checkValue(member.getValue(), memberPath, depth, insideArray);
        }
    }

    private void checkValue(JsonElement value, String path, int depth, boolean insideArray) {
        if (value.isJsonNull()) {
            // A null member deletes; inside an array there is nothing it could delete.
            if (insideArray) {
                throw new TwinRuleViolation(path, "arrays in a twin may not contain null");
            }
        } else if (value.isJsonObject()) {
            checkDepth(path, depth + 1, "object");
            checkMembers(value.getAsJsonObject(), path, depth + 1, insideArray);
        } else if (value.isJsonArray()) {
            checkDepth(path, depth + 1, "array");
            JsonArray array = value.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                checkValue(array.get(i), path + "[" + i + "]", depth + 1, true);
            }
        } else {
            checkPrimitive(value.getAsJsonPrimitive(), path);
        }
    }

    private void checkDepth(String path, int depth, String kind) {
        if (depth > limits.maxDepth()) {
            throw new TwinRuleViolation(path, "this " + kind + " is nested " + depth + " levels deep; a twin allows at most "
                    + limits.maxDepth() + " levels of objects and arrays below the section");
        }
    }

    private void checkKey(String key, String path) {
        if (key.isEmpty()) {
            throw new TwinRuleViolation(path, "key is empty; twin keys need at least one character");
        }
        for (int i = 0; i < key.length(); ) {
            int codePoint = key.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isISOControl(codePoint)) {
                throw new TwinRuleViolation(path, String.format(
                        "key contains the control character U+%04X, which twin keys may not contain", codePoint));
            }
            if (codePoint == '.' || codePoint == '$' || codePoint == ' ') {
                throw new TwinRuleViolation(path, "key contains '" + (char) codePoint + "', which twin keys may not contain");
            }
        }
        long bytes = TwinSize.ofText(key);
        if (bytes > limits.keyMaxBytes()) {
            throw new TwinRuleViolation(path, "key is " + bytes + " bytes in UTF-8, over the " + limits.keyMaxBytes()
                    + "-byte limit for twin keys");
        }
    }

    private void checkPrimitive(JsonPrimitive value, String path) {
        if (value.isString()) {
            long bytes = TwinSize.ofText(value.getAsString());
            if (bytes > limits.stringMaxBytes()) {
                throw new TwinRuleViolation(path, "string is " + bytes + " bytes in UTF-8, over the "
                        + limits.stringMaxBytes() + "-byte limit for twin strings");
            }
        } else if (value.isNumber()) {
            checkNumber(value.getAsString(), path);
        }
    }

    private static void checkNumber(String literal, String path) {
        if (INTEGER_LITERAL.matcher(literal).matches()) {
            // more digits than the limit has cannot be in range: no need to parse them
            if (literal.length() > MAX_INTEGER_LITERAL_LENGTH
                    || new BigInteger(literal).compareTo(MIN_INTEGER) < 0
                    || new BigInteger(literal).compareTo(MAX_INTEGER) > 0) {
                String shown = literal.length() <= 64 ? literal : "of " + literal.length() + " digits";
                throw new TwinRuleViolation(path, "integer " + shown + " is outside the range " + TwinLimits.MIN_INTEGER
                        + ".." + TwinLimits.MAX_INTEGER + " that twins accept");
            }
            return;
        }
        // Only numbers built in code (NaN, Infinity) fail here; strict JSON text cannot spell them. Double parsing
        // reads a long literal in linear time, where BigDecimal would take seconds on a 250,000-digit one.
        boolean finite;
        try {
            finite = Double.isFinite(Double.parseDouble(literal));
        } catch (NumberFormatException notANumber) {
            finite = false;
        }
        if (!finite) {
            throw new TwinRuleViolation(path, "number " + literal + " is not a finite JSON number");
        }
    }
}
