package lab.devicetwins.tutorial.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Code shown in docs/*.md comes from marked regions of the sources ({@code // region::name} …
 * {@code // end::name}). A doc names the region in a comment right above its code block:
 * {@code <!-- include: 01-device-app/src/main/java/.../DeviceApp.java#subscribe -->}.
 *
 * <p>{@link #check} lists the blocks that differ from their region; {@link #main} rewrites them
 * (run from the repository root: {@code java -cp e2e-tests/target/test-classes lab.devicetwins.tutorial.e2e.DocSnippets}).
 */
final class DocSnippets {

    private static final Pattern INCLUDE = Pattern.compile("^<!-- include: (\\S+)#(\\S+) -->\\s*$");
    private static final Pattern REGION = Pattern.compile("^\\s*// region::(\\S+)\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*// end::(\\S+)\\s*$");

    record Include(Path doc, int line, String source, String region) {
    }

    record Mismatch(Include include, String expected, String actual) {
        @Override
        public String toString() {
            return include.doc() + " line " + include.line() + " (" + include.source() + "#" + include.region() + ")"
                    + (expected == null ? ": no such region" : ": the code block differs from its region");
        }
    }

    private DocSnippets() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        for (Path doc : docs(root)) {
            Files.writeString(doc, rewrite(root, doc), StandardCharsets.UTF_8);
        }
    }

    static List<Path> docs(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    /** Every include in the docs, each compared with its region. */
    static List<Mismatch> check(Path root, List<Include> seen) throws IOException {
        List<Mismatch> mismatches = new ArrayList<>();
        for (Path doc : docs(root)) {
            List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher include = INCLUDE.matcher(lines.get(i));
                if (!include.matches()) {
                    continue;
                }
                Include found = new Include(doc, i + 1, include.group(1), include.group(2));
                seen.add(found);
                String expected = regions(root.resolve(found.source())).get(found.region());
                String actual = block(lines, i + 1);
                if (expected == null || !expected.equals(actual)) {
                    mismatches.add(new Mismatch(found, expected, actual));
                }
            }
        }
        return mismatches;
    }

    static Map<String, String> regions(Path source) throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        if (!Files.isRegularFile(source)) {
            return regions;
        }
        Map<String, List<String>> open = new LinkedHashMap<>();
        for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
            Matcher start = REGION.matcher(line);
            Matcher end = END.matcher(line);
            if (start.matches()) {
                open.put(start.group(1), new ArrayList<>());
            } else if (end.matches() && open.containsKey(end.group(1))) {
                regions.put(end.group(1), dedent(open.remove(end.group(1))));
            } else {
                open.values().forEach(body -> body.add(line));
            }
        }
        return regions;
    }

    private static String rewrite(Path root, Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        List<String> result = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            result.add(lines.get(i));
            Matcher include = INCLUDE.matcher(lines.get(i));
            if (include.matches()) {
                String region = regions(root.resolve(include.group(1))).get(include.group(2));
                if (region == null) {
                    throw new IllegalStateException(doc + " line " + (i + 1) + ": no region " + include.group(2) + " in " + include.group(1));
                }
                int next = i + 1;
                if (next < lines.size() && lines.get(next).startsWith("```")) {
                    next++;
                    while (next < lines.size() && !lines.get(next).startsWith("```")) {
                        next++;
                    }
                    i = next; // skip the old block, closing fence included
                }
                result.add("```java");
                result.addAll(List.of(region.split("\n", -1)));
                result.add("```");
            }
        }
        return String.join("\n", result) + "\n";
    }

    /** The code block that starts on line {@code index}, or null when there is none. */
    private static String block(List<String> lines, int index) {
        if (index >= lines.size() || !lines.get(index).startsWith("```")) {
            return null;
        }
        List<String> body = new ArrayList<>();
        for (int i = index + 1; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
            body.add(lines.get(i));
        }
        return String.join("\n", body);
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return String.join("\n", lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
    }
}
