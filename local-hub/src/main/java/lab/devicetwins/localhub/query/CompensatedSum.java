package lab.devicetwins.localhub.query;

import lab.devicetwins.localhub.query.Operand.Numeric;
import lab.devicetwins.localhub.query.Operand.Whole;

/**
 * The running total behind {@code SUM} and {@code AVG}, computed step by step as SQLite's {@code sum()} and
 * {@code avg()} compute it (the hub's queries ran on SQLite before), so results keep their last digits: exact while
 * every number is whole and the total fits a long, then a Kahan-Babuska-Neumaier compensated sum of doubles, whole
 * numbers of 2^52 or more added in two exact parts. Unlike SQLite, a whole total that outgrows a long is no error:
 * it carries on as a double.
 */
final class CompensatedSum {

    private static final long SPLIT_AT = 1L << 52;

    private long count;
    private boolean approximate;
    private long whole;
    private double sum;
    private double error;

    void add(Numeric number) {
        count++;
        if (!approximate && number instanceof Whole value) {
            try {
                whole = Math.addExact(whole, value.value());
                return;
            } catch (ArithmeticException beyondLong) {
                startApproximating();
                addWhole(value.value());
                return;
            }
        }
        if (!approximate) {
            startApproximating();
        }
        if (number instanceof Whole value) {
            addWhole(value.value());
        } else {
            addReal(number.asDouble());
        }
    }

    /** The total: a Long while it is exact, else a Double (possibly infinite or NaN); null when nothing was added. */
    Number total() {
        if (count == 0) {
            return null;
        }
        return approximate ? (Number) compensated() : (Number) whole;
    }

    /** The mean as a Double (possibly infinite or NaN); null when nothing was added. */
    Double average() {
        if (count == 0) {
            return null;
        }
        return (approximate ? compensated() : (double) whole) / count;
    }

    private double compensated() {
        return Double.isFinite(error) ? sum + error : sum;
    }

    private void startApproximating() {
        approximate = true;
        if (whole <= -SPLIT_AT || whole >= SPLIT_AT) {
            long small = whole % 16384;
            sum = whole - small;
            error = small;
        } else {
            sum = whole;
            error = 0;
        }
    }

    private void addWhole(long value) {
        if (value <= -SPLIT_AT || value >= SPLIT_AT) {
            long small = value % 16384;
            addReal(value - small);
            addReal(small);
        } else {
            addReal(value);
        }
    }

    private void addReal(double value) {
        double total = sum + value;
        if (Math.abs(sum) > Math.abs(value)) {
            error += (sum - total) + value;
        } else {
            error += (value - total) + sum;
        }
        sum = total;
    }
}
