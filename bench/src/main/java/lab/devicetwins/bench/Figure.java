package lab.devicetwins.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** One measured quantity over several runs: reported as median with min and max, never a single run. */
final class Figure {
    private final List<Double> runs = new ArrayList<>();

    void add(double value) {
        runs.add(value);
    }

    int runs() {
        return runs.size();
    }

    double median() {
        double[] v = sorted();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    double min() {
        double[] v = sorted();
        return v.length == 0 ? Double.NaN : v[0];
    }

    double max() {
        double[] v = sorted();
        return v.length == 0 ? Double.NaN : v[v.length - 1];
    }

    private double[] sorted() {
        double[] v = runs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v;
    }

    /** {@code median/min/max}, the format of every figure on a summary line. */
    String triple() {
        return number(median()) + "/" + number(min()) + "/" + number(max());
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Math.abs(v) >= 100) {
            return Long.toString(Math.round(v));
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }
}
