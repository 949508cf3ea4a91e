package lab.devicetwins.tutorial.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.LocalHub;
import org.junit.jupiter.api.Assumptions;

/**
 * Running Node.js scripts on the npm packages {@link NodePackages} installed: finding Node (skipped without it, failed
 * where {@code CI} is set), and running one script to its end.
 */
final class NodeScripts {
    /** Only a Node process that hangs reaches it: every script here ends itself once its last answer has come. */
    static final Duration HUNG_PROCESS = Duration.ofMinutes(2);

    private NodeScripts() {
    }

    /** Where the Node.js sources are (set by e2e-tests/pom.xml). */
    static Path sources() {
        return Path.of(System.getProperty(NodeArticleTest.SOURCES_PROPERTY, "src/test/node")).toAbsolutePath();
    }

    /** Where {@link NodePackages} installed the npm packages (set by e2e-tests/pom.xml). */
    static Path work() {
        return Path.of(System.getProperty(NodeArticleTest.WORK_PROPERTY, "target/node")).toAbsolutePath();
    }

    static NodeToolchain toolchainOrSkip() {
        Optional<NodeToolchain> toolchain = NodeToolchain.onPath();
        if (toolchain.isPresent()) {
            return toolchain.get();
        }
        if (NodeToolchain.requiredByCi()) {
            fail(NodeToolchain.missingMessage());
        }
        return Assumptions.abort(NodeToolchain.missingMessage());
    }

    /** The packages NodePackages installs before the tests; without them: skipped, or failed where CI is set. */
    static void requireInstalledPackages(Path work) {
        if (Files.isRegularFile(work.resolve(NodePackages.INSTALLED_LOCK))) {
            return;
        }
        String missing = "No npm packages installed in " + work + ": the build's node-packages step (NodePackages,"
                + " before the tests) did not run or npm ci failed; its output says why.";
        if (NodeToolchain.requiredByCi()) {
            fail(missing);
        }
        Assumptions.abort(missing);
    }

    /** Copies {@code file} from the sources next to the installed {@code node_modules}, so {@code require} finds them. */
    static Path copied(String file) throws IOException {
        return Files.copy(sources().resolve(file), work().resolve(file),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Runs one of the service-side scripts ({@code src/test/node}) against an embedded local hub as a learner would
     * point it there: the hub's CA through {@code NODE_EXTRA_CA_CERTS}, the owner's connection string in
     * {@code IOTHUB_CONNECTION_STRING}, and {@code localhub-https.js} preloaded when HTTPS is not on 443.
     */
    static String runAgainst(LocalHub hub, NodeToolchain node, Path work, String script, Map<String, String> more)
            throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>(more);
        environment.put("NODE_EXTRA_CA_CERTS", caFile(work, hub).toString());
        environment.put("IOTHUB_CONNECTION_STRING", hub.ownerConnectionString());
        List<String> preload = new ArrayList<>();
        hub.proxyAddress().ifPresent(proxy -> {
            environment.put(HubEnvFile.PROXY_PORT, Integer.toString(proxy.getPort()));
            preload.addAll(List.of("--require", sources().resolve("localhub-https.js").toString()));
        });
        return run(node, work, preload, copied(script), environment);
    }

    /**
     * The hub's CA in a file of its own for {@code NODE_EXTRA_CA_CERTS}. Named after the certificate: the test JVMs
     * share the work directory and each has a hub with its own CA, so one shared name let a script read another
     * JVM's CA.
     */
    static Path caFile(Path work, LocalHub hub) throws IOException {
        String name = "localhub-ca-" + Integer.toHexString(hub.caPem().hashCode()) + ".pem";
        Path file = work.resolve(name);
        Path written = Files.writeString(work.resolve(name + "." + ProcessHandle.current().pid()), hub.caPem());
        return Files.move(written, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A script's "<step> <result>" lines, by step. */
    static Map<String, String> steps(String output) {
        Map<String, String> steps = new HashMap<>();
        output.lines().filter(line -> line.indexOf(' ') > 0)
                .forEach(line -> steps.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1)));
        return steps;
    }

    /** Runs {@code node [options] script} in {@code work}; returns what it printed (stdout and stderr) once it ends. */
    static String run(NodeToolchain node, Path work, List<String> options, Path script,
                      Map<String, String> environment) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(node.node().toString());
        command.addAll(options);
        command.add(script.getFileName().toString());
        Path log = work.resolve(script.getFileName() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // A learner's own NODE_OPTIONS could load something else before the script.
        builder.environment().remove("NODE_OPTIONS");
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(HUNG_PROCESS.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("%s did not end within %s; it printed:%n%s", command, HUNG_PROCESS, Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit code of %s, which printed:%n%s", command, output).isZero();
        return output;
    }
}
