package lab.devicetwins.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query scenario's figures as an SVG chart for docs/performance.md: median first-page time of each query
 * against the number of twins, both axes logarithmic, one line per query, and the goals as dashed marks.
 */
final class QueryChart {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int TOP = 30;
    private static final int BOTTOM = 50;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b"};
    private static final double MIN_MS = 0.1;
    private static final double MAX_MS = 10_000;

    private QueryChart() {
    }

    /**
     * @param sizes   twin counts, ascending
     * @param medians query name to its median per size (same order as {@code sizes}; NaN where not measured)
     * @param goals   query name to size to goal in ms
     * @param title   what the chart shows, with the machine and date
     */
    static void write(Path file, List<Integer> sizes, Map<String, List<Double>> medians,
                      Map<String, Map<Integer, Double>> goals, String title) throws IOException {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\">%s</text>%n", LEFT, escape(title)));
        for (double ms = MIN_MS; ms <= MAX_MS; ms *= 10) {
            double y = y(ms);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, y, WIDTH - RIGHT, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>%n",
                    LEFT - 6, y + 4, ms < 1 ? String.valueOf(ms) : String.format(Locale.ROOT, "%,.0f", ms)));
        }
        for (int size : sizes) {
            double x = x(size, sizes);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    x, TOP, x, HEIGHT - BOTTOM));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%,d</text>%n",
                    x, HEIGHT - BOTTOM + 18, size));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">twins (log scale);"
                + " first page, median; dashes: goals</text>%n", (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 10));
        int line = 0;
        for (Map.Entry<String, List<Double>> query : medians.entrySet()) {
            String colour = COLOURS[line % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < sizes.size(); i++) {
                double ms = query.getValue().get(i);
                if (Double.isNaN(ms)) {
                    continue;
                }
                double x = x(sizes.get(i), sizes);
                double y = y(ms);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, colour));
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" font-size=\"10\">%s</text>%n",
                        x + 5, y - 5, colour, ms < 10 ? String.format(Locale.ROOT, "%.2f", ms)
                                : String.format(Locale.ROOT, "%,.0f", ms)));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    points.toString().trim(), colour));
            for (Map.Entry<Integer, Double> goal : goals.getOrDefault(query.getKey(), Map.of()).entrySet()) {
                if (!sizes.contains(goal.getKey())) {
                    continue;
                }
                double x = x(goal.getKey(), sizes);
                double y = y(goal.getValue());
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                        + " stroke-width=\"2\" stroke-dasharray=\"4 3\"/>%n", x - 12, y, x + 12, y, colour));
            }
            int legendY = TOP + 10 + 20 * line;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    WIDTH - RIGHT + 15, legendY, WIDTH - RIGHT + 35, legendY, colour));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", WIDTH - RIGHT + 40, legendY + 4,
                    escape(query.getKey())));
            line++;
        }
        svg.append("</svg>\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, svg.toString());
    }

    private static double x(int size, List<Integer> sizes) {
        double low = Math.log10(sizes.get(0));
        double high = Math.log10(sizes.get(sizes.size() - 1));
        double span = high > low ? high - low : 1;
        return LEFT + 20 + (WIDTH - LEFT - RIGHT - 40) * (Math.log10(size) - low) / span;
    }

    private static double y(double ms) {
        double clamped = Math.max(MIN_MS, Math.min(MAX_MS, ms));
        double span = Math.log10(MAX_MS) - Math.log10(MIN_MS);
        return TOP + (HEIGHT - TOP - BOTTOM) * (Math.log10(MAX_MS) - Math.log10(clamped)) / span;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
