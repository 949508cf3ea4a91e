package lab.devicetwins.tutorial.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Installs the Node.js SDKs the article uses, exactly as the committed {@code package-lock.json} pins them, with
 * {@code npm ci} in a directory under {@code target/}. Run by the build (exec-maven-plugin in e2e-tests/pom.xml)
 * after the test classes are compiled and before the tests run; {@link NodeArticleTest} then runs the article's code
 * there. The installation lives in {@code target/} so that {@code clean} removes it and the sources stay free of
 * {@code node_modules}.
 *
 * <p>Without Node.js on {@code PATH}, or when {@code npm ci} fails (most often: no way to the npm registry and nothing
 * in npm's cache), it prints why and the test is skipped, so that a learner's {@code ./mvnw verify} does not depend on
 * Node.js or on the network to npm. Where {@code CI} is set, either is a build failure instead.
 */
public final class NodePackages {

    static final List<String> PACKAGE_FILES = List.of("package.json", "package-lock.json");
    /** Where npm records what it installed; present only after a complete install. */
    static final Path INSTALLED_LOCK = Path.of("node_modules", ".package-lock.json");

    private NodePackages() {
    }

    /**
     * @param args the directory with {@code package.json} and {@code package-lock.json} (src/test/node), and the
     *             directory to install into (target/node)
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: NodePackages <directory of package.json and package-lock.json> <install directory>");
            System.exit(2);
        }
        Optional<NodeToolchain> toolchain = NodeToolchain.onPath();
        if (toolchain.isEmpty()) {
            System.out.println("[node] " + NodeToolchain.missingMessage());
            System.exit(NodeToolchain.requiredByCi() ? 1 : 0);
        }
        int npm = install(toolchain.get(), Path.of(args[0]), Path.of(args[1]));
        if (npm != 0) {
            System.out.println("[node] npm ci failed with exit code " + npm + " (its output is above): "
                    + (NodeToolchain.requiredByCi() ? "CI is set, so the build fails."
                            : "NodeArticleTest will be skipped. Run the build again once npm can reach its registry."));
        }
        System.exit(NodeToolchain.requiredByCi() ? npm : 0);
    }

    /** Copies the package files into {@code target} and runs {@code npm ci} there; returns npm's exit code. */
    static int install(NodeToolchain toolchain, Path sources, Path target) throws IOException, InterruptedException {
        Files.createDirectories(target);
        if (upToDate(sources, target)) {
            System.out.println("[node] " + target.resolve("node_modules") + " already holds what package-lock.json pins");
            return 0;
        }
        for (String file : PACKAGE_FILES) {
            Files.copy(sources.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        // --prefer-offline: a warm npm cache is enough, so a repeated build needs no network.
        Process npm = new ProcessBuilder(toolchain.npm().toString(), "ci", "--prefer-offline", "--no-audit", "--no-fund")
                .directory(target.toFile())
                .inheritIO()
                .start();
        return npm.waitFor();
    }

    /** An earlier run installed from the same lock file and finished: npm ci would only reinstall the same files. */
    private static boolean upToDate(Path sources, Path target) throws IOException {
        if (!Files.isRegularFile(target.resolve(INSTALLED_LOCK))) {
            return false;
        }
        for (String file : PACKAGE_FILES) {
            Path copy = target.resolve(file);
            if (!Files.isRegularFile(copy) || Files.mismatch(copy, sources.resolve(file)) != -1) {
                return false;
            }
        }
        return true;
    }
}
