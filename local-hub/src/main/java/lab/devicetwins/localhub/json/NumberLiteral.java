package lab.devicetwins.localhub.json;

import java.math.BigDecimal;

/**
 * A JSON number that keeps the text it was sent as, so a tree written back with Gson prints {@code 1.50} as
 * {@code 1.50} and {@code 21} as {@code 21}. The conversions give what Gson's own parse gives for the same text,
 * including its refusal (a {@link NumberFormatException}) to expand a number of more than 10 000 characters or
 * with a scale of 10 000 or more into a {@link BigDecimal}: converting {@code 1e-99999} to a {@code long} would
 * otherwise make {@code BigDecimal} compute ten to the power 99 999.
 */
final class NumberLiteral extends Number {
    private static final long serialVersionUID = 1L;
    private static final int BIG_DECIMAL_LIMIT = 10_000;

    private final String text;

    /** {@code text} must already be a JSON number; the reader checks the grammar before it builds one. */
    NumberLiteral(String text) {
        this.text = text;
    }

    @Override
    public int intValue() {
        if (isIntegerText()) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException tooLargeForInt) {
                try {
                    return (int) Long.parseLong(text);
                } catch (NumberFormatException tooLargeForLong) {
                    // falls through to the exact value, keeping its low-order bits as Gson does
                }
            }
        }
        return bigDecimal().intValue();
    }

    @Override
    public long longValue() {
        if (isIntegerText()) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooLargeForLong) {
                // falls through to the exact value, keeping its low-order bits as Gson does
            }
        }
        return bigDecimal().longValue();
    }

    @Override
    public float floatValue() {
        return Float.parseFloat(text);
    }

    @Override
    public double doubleValue() {
        return Double.parseDouble(text);
    }

    /** The number exactly as it was sent; Gson's writer prints this. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NumberLiteral literal && text.equals(literal.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** Without a fraction or exponent the text parses as an int or long, sparing an exception for 1.5 or 1e3. */
    private boolean isIntegerText() {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' || c == 'e' || c == 'E') {
                return false;
            }
        }
        return true;
    }

    private BigDecimal bigDecimal() {
        if (text.length() > BIG_DECIMAL_LIMIT) {
            throw new NumberFormatException("number of " + text.length() + " characters is too long to convert");
        }
        BigDecimal value = new BigDecimal(text);
        if (Math.abs((long) value.scale()) >= BIG_DECIMAL_LIMIT) {
            throw new NumberFormatException("number with scale " + value.scale() + " is too small or large to convert");
        }
        return value;
    }
}
