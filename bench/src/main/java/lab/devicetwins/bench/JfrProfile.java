package lab.devicetwins.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a process spends its CPU: a JFR recording (profile settings, ~10 ms sampling of running Java threads) started
 * and stopped around one extra run with {@code jcmd}, summed up by kind of work and by hottest methods.
 */
final class JfrProfile {
    private final long pid;
    private final Path file;
    private final String name;

    private JfrProfile(long pid, Path file, String name) {
        this.pid = pid;
        this.file = file;
        this.name = name;
    }

    static JfrProfile start(long pid, Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        String name = "bench-" + System.nanoTime();
        jcmd(pid, "JFR.start", "name=" + name, "settings=profile", "filename=" + file);
        return new JfrProfile(pid, file, name);
    }

    /** Stops the recording and returns a few lines: the share of samples per kind of work, then the hottest frames. */
    List<String> stopAndSummarize(String title) throws IOException, InterruptedException {
        jcmd(pid, "JFR.stop", "name=" + name);
        Map<String, Integer> kinds = new HashMap<>();
        Map<String, Integer> leaves = new HashMap<>();
        Map<String, Integer> projectFrames = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            kinds.merge(kindOf(frames), 1, Integer::sum);
            leaves.merge(method(frames.get(0)), 1, Integer::sum);
            for (RecordedFrame f : frames) {
                if (f.getMethod().getType().getName().startsWith("lab.devicetwins.localhub")) {
                    projectFrames.merge(method(f), 1, Integer::sum);
                    break;
                }
            }
        }
        int total = Math.max(1, samples);
        return List.of(
                "# profile " + title + " (" + samples + " JFR samples, " + file + ")",
                "#   by kind of work: " + top(kinds, total, 9),
                "#   hottest methods: " + top(leaves, total, 8),
                "#   hub code nearest the leaf: " + top(projectFrames, total, 8));
    }

    private static String top(Map<String, Integer> counts, int total, int limit) {
        StringBuilder out = new StringBuilder();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(e -> out.append(out.length() == 0 ? "" : "; ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.0f%%", 100.0 * e.getValue() / total)));
        return out.toString();
    }

    private static String method(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }

    /**
     * The kind of work a sample belongs to: the first frame from the leaf up that is not generic JDK code (collections,
     * strings, NIO plumbing) decides, so a HashMap lookup inside Gson counts as JSON.
     */
    private static String kindOf(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("sun.security.") || type.startsWith("javax.crypto.") || type.startsWith("com.sun.crypto.")
                    || type.startsWith("javax.net.ssl.") || type.startsWith("io.netty.handler.ssl.")) {
                return "TLS";
            }
            if (type.startsWith("org.sqlite.")) {
                return "SQLite";
            }
            if (type.startsWith("com.google.gson.")) {
                return "JSON(Gson)";
            }
            if (type.startsWith("io.netty.handler.codec.mqtt.") || type.startsWith("io.vertx.mqtt.")) {
                return "MQTT codec/endpoint";
            }
            if (type.startsWith("sun.nio.ch.") || type.startsWith("io.netty.channel.")) {
                return "socket I/O";
            }
            if (type.startsWith("io.netty.") || type.startsWith("io.vertx.")) {
                return "Netty/Vert.x";
            }
            if (type.startsWith("lab.devicetwins.localhub.")) {
                return "hub code";
            }
            if (type.startsWith("lab.devicetwins.bench.")) {
                return "generator code";
            }
            if (type.startsWith("java.util.logging.")) {
                return "logging";
            }
        }
        return "other JDK";
    }

    private static void jcmd(long pid, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(Long.toString(pid));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", args) + " failed: " + out);
        }
    }

    /**
     * Live heap after a full GC, in bytes per class name plus {@code "Total"}: {@code GC.class_histogram} collects
     * first and lists what survives.
     */
    static Map<String, Long> liveHeap(long pid) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "GC.class_histogram");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(120, TimeUnit.SECONDS);
        Map<String, Long> bytes = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (line.startsWith("Total") && f.length >= 3) {
                bytes.put("Total", Long.parseLong(f[2]));
            } else if (f.length >= 4 && f[0].endsWith(":")) {
                bytes.put(f[3], Long.parseLong(f[2]));
            }
        }
        if (!bytes.containsKey("Total")) {
            throw new IOException("no Total line in the class histogram of " + pid + ": " + out);
        }
        return bytes;
    }

    /** The classes whose live bytes grew most between two histograms, per {@code count} objects (e.g. connections). */
    static String growth(Map<String, Long> before, Map<String, Long> after, int count, int limit) {
        StringBuilder out = new StringBuilder();
        after.entrySet().stream().filter(e -> !e.getKey().equals("Total"))
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .forEach(e -> out.append(out.length() == 0 ? "" : "; ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.0f B", e.getValue() / (double) Math.max(1, count))));
        return out.toString();
    }
}
