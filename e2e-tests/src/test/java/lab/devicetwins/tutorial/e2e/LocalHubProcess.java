package lab.devicetwins.tutorial.e2e;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import lab.devicetwins.localhub.HubEnvFile;

/**
 * A local hub in a process of its own, started from {@code local-hub.jar} as a learner starts it in another
 * terminal: {@code java -jar local-hub.jar start --data-dir DIR --host HOST --https-port 0}, with a new temporary
 * data directory. Closing it stops the process the way Ctrl+C does, so the hub's shutdown hook runs, and deletes
 * that directory.
 */
final class LocalHubProcess implements AutoCloseable {

    /** Printed by the hub once its ports are bound and hub.env is written. */
    private static final String READY = "local-hub: ready";
    /** A cold JVM on a busy 2-core machine: generous, since only a hub that never starts should hit it. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final Path dataDirectory;
    private final StringBuffer output = new StringBuffer();

    private LocalHubProcess(Process process, Path dataDirectory) {
        this.process = process;
        this.dataDirectory = dataDirectory;
        Thread reader = new Thread(this::collectOutput, "local-hub-output");
        reader.setDaemon(true);
        reader.start();
    }

    static LocalHubProcess start(Path jar, String host) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the local hub first"
                    + " (./mvnw verify from the repository root, or ./mvnw -pl local-hub package)");
        }
        Path dataDirectory = Files.createTempDirectory("e2e-local-hub");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // --https-port 0: HTTPS on a free port behind the CONNECT proxy, as on a laptop where 443 needs root.
        Process process = new ProcessBuilder(List.of(java.toString(), "-jar", jar.toString(), "start",
                "--data-dir", dataDirectory.toString(), "--host", host, "--https-port", "0"))
                .redirectErrorStream(true)
                .start();
        // Should the test JVM end without closing us (a crash, Ctrl+C), the hub must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "stop-local-hub-process"));
        LocalHubProcess hub = new LocalHubProcess(process, dataDirectory);
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The local hub process ended with exit code "
                            + process.exitValue() + ":\n" + hub.output());
                }
                return hub.output().contains(READY);
            });
        } catch (RuntimeException e) {
            hub.close();
            throw e;
        }
        return hub;
    }

    /** The variables of the hub's hub.env, as {@code set -a; . hub.env; set +a} puts them into a shell. */
    Map<String, String> environment() {
        try {
            return HubEnvFile.read(dataDirectory.resolve(HubEnvFile.FILE_NAME)).values();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String output() {
        return output.toString();
    }

    private void collectOutput() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            output.append("(output lost: ").append(e.getMessage()).append(")\n");
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: the hub's shutdown hook closes its ports and database
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the hub's data directory " + dataDirectory, e);
        }
    }
}
