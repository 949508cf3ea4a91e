package lab.devicetwins.tutorial.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code node} and {@code npm} commands found on {@code PATH}, and whether their absence skips the Node.js check
 * or fails it. A learner with only a JDK has no Node.js and still runs {@code ./mvnw verify}: the check is skipped.
 * CI sets {@code CI}, and there a missing Node.js must not turn the check into a silent skip.
 */
record NodeToolchain(Path node, Path npm) {

    /** The variable CI services set (GitHub Actions and GitLab CI set it to {@code true}). */
    static final String CI_VARIABLE = "CI";

    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    /** Both commands, when both are on {@code PATH}. */
    static Optional<NodeToolchain> onPath() {
        Optional<Path> node = find(WINDOWS ? "node.exe" : "node");
        Optional<Path> npm = find(WINDOWS ? "npm.cmd" : "npm");
        return node.isPresent() && npm.isPresent() ? Optional.of(new NodeToolchain(node.get(), npm.get())) : Optional.empty();
    }

    /** True when {@code CI} is set to anything: a missing Node.js is then a failure, not a skip. */
    static boolean requiredByCi() {
        String ci = System.getenv(CI_VARIABLE);
        return ci != null && !ci.isBlank();
    }

    /** What to tell the user when {@link #onPath()} found nothing, for a skip and for a failure alike. */
    static String missingMessage() {
        return requiredByCi()
                ? "The Node.js check cannot run: no node and npm on PATH, and CI is set, where Node.js is required."
                  + " Install Node.js 20 (with npm) on the CI machine."
                : "The Node.js check is skipped: no node and npm on PATH. Install Node.js 20 (with npm) to run the"
                  + " article's Node.js code against the local hub; everything else in the build runs without it.";
    }

    private static Optional<Path> find(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isBlank()) {
                continue;
            }
            Path candidate = Path.of(directory).resolve(command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
