package lab.devicetwins.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import lab.devicetwins.localhub.process.LocalHubProcess;

/**
 * Scenario 6: the developer loop. The hub jar from process start to ready (its hub.env written, its ports
 * accepting; see {@link LocalHubProcess}), on a new data directory
 * (it creates its development CA first) and on an existing one; with {@code --with-verify}, a warm
 * {@code ./mvnw -o verify} and the README walkthrough ({@code -Pwalkthrough}) once each, as they take minutes.
 * Goals: 1.5 s, 3 min, 30 s.
 */
final class DeveloperLoop implements Scenario {
    static final double GOAL_START_MS = 1500;
    static final double GOAL_VERIFY_S = 180;
    static final double GOAL_WALKTHROUGH_S = 30;
    /** The second octet of the loopback addresses the timed verify's test JVMs bind (127.{block}.{module}.{fork}). */
    private static final int VERIFY_LOOPBACK_BLOCK = 3;

    @Override
    public String name() {
        return "dev-loop";
    }

    @Override
    public SummaryLine run(BenchContext context) throws Exception {
        BenchEnvironment bench = context.bench();
        Figure fresh = new Figure();
        Figure existing = new Figure();
        Path base = bench.workDir().resolve("dev-loop");
        BenchDevices.deleteTree(base);
        Path kept = base.resolve("kept");
        try (LocalHubProcess first = bench.hubProcess(kept, 0).start()) {
            System.out.printf(Locale.ROOT, "# dev-loop: first start on %s (creates CA, database) %.0f ms%n", kept,
                    millis(first));
        }
        // What class-data sharing would give: an AppCDS archive of the classes a start loads, made by one start.
        Path archive = base.resolve("hub-appcds.jsa");
        try (LocalHubProcess dump = bench.hubProcess(kept, 0).jvmArguments("-XX:ArchiveClassesAtExit=" + archive)
                .start()) {
            System.out.printf(Locale.ROOT, "# dev-loop: start that records %s: %.0f ms%n", archive, millis(dump));
        }
        Figure appCds = new Figure();
        for (int round = 1; round <= Math.max(bench.runs(), 5); round++) {
            double newDir;
            double existingDir;
            double withArchive = Double.NaN;
            try (LocalHubProcess hub = bench.hubProcess(base.resolve("new-" + round), 0).start()) {
                newDir = millis(hub);
            }
            try (LocalHubProcess hub = bench.hubProcess(kept, 0).start()) {
                existingDir = millis(hub);
            }
            if (Files.exists(archive)) {
                try (LocalHubProcess hub = bench.hubProcess(kept, 0).jvmArguments("-XX:SharedArchiveFile=" + archive)
                        .start()) {
                    withArchive = millis(hub);
                }
                appCds.add(withArchive);
            }
            fresh.add(newDir);
            existing.add(existingDir);
            System.out.printf(Locale.ROOT, "# dev-loop round %d: start to ready %.0f ms on a new data directory,"
                    + " %.0f ms on an existing one, %.0f ms on an existing one with the AppCDS archive%n", round, newDir,
                    existingDir, withArchive);
        }
        SummaryLine line = new SummaryLine(name())
                .put("jar_start_new_dir_ms", fresh)
                .put("jar_start_existing_dir_ms", existing);
        if (appCds.runs() > 0) {
            line.put("jar_start_existing_dir_appcds_ms", appCds);
        }
        boolean met = existing.median() <= GOAL_START_MS;
        if (bench.withVerify()) {
            double verify = timeMaven(bench, List.of("./mvnw", "-q", "-o", "verify",
                    // the build's test JVMs take addresses of their own; a block apart from the bench's hub
                    "-Dlocalhub.test.block=" + VERIFY_LOOPBACK_BLOCK));
            line.put("mvn_verify_warm_s_once", verify);
            met &= verify <= GOAL_VERIFY_S;
        } else {
            line.put("mvn_verify_warm_s_once", "not_run(--with-verify)");
        }
        // the walkthrough profile lives in the e2e-tests module, which runs it
        String pom = Files.readString(bench.repoRoot().resolve("e2e-tests/pom.xml"));
        if (!pom.contains("<id>walkthrough</id>")) {
            line.put("walkthrough_s", "absent(no_-Pwalkthrough_profile_yet)");
        } else if (bench.withVerify()) {
            double walkthrough = timeMaven(bench, List.of("./mvnw", "-q", "-o", "-Pwalkthrough", "-DskipTests",
                    "-Dlocalhub.host=" + bench.hubHost(), "package"));
            line.put("walkthrough_s_once", walkthrough);
            met &= walkthrough <= GOAL_WALKTHROUGH_S;
        } else {
            line.put("walkthrough_s", "not_run(--with-verify)");
        }
        return line.put("goal", "start<=1.5s,verify<=3min,walkthrough<=30s").put("verdict", SideBySide.verdict(met));
    }

    /** From process start to ready: hub.env written by that process and its ports accepting. */
    private static double millis(LocalHubProcess hub) {
        return hub.startedIn().toNanos() / 1e6;
    }

    /** Seconds; fails the scenario when the build fails, since a failed build's time means nothing. */
    private static double timeMaven(BenchEnvironment bench, List<String> command) throws Exception {
        System.out.println("# dev-loop: timing " + String.join(" ", command));
        Path log = bench.workDir().resolve("dev-loop/" + (command.contains("verify") ? "verify" : "walkthrough") + ".log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(bench.repoRoot().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took more than 30 minutes");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed after " + Math.round(seconds)
                    + " s; see " + log);
        }
        System.out.printf(Locale.ROOT, "# dev-loop: %s took %.0f s%n", String.join(" ", command), seconds);
        return seconds;
    }
}
