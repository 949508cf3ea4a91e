package lab.devicetwins.localhub.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.tls.DevelopmentCaTrust;
import org.awaitility.Awaitility;

/**
 * The hub as a learner runs it: {@code java -jar local-hub/target/local-hub.jar start …} in its own JVM, with its
 * output collected line by line. Closing it kills the process, so no test leaves a hub behind.
 */
final class HubProcess implements AutoCloseable {
    /** Set by failsafe to the shaded jar that {@code package} built. */
    static final Path JAR = Path.of(System.getProperty("localhub.jar", "target/local-hub.jar"));
    /** Every helper on a shared machine runs its hubs on its own loopback address. */
    static final String HOST = System.getProperty("localhub.host", "127.0.0.1");

    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final Path dataDirectory;
    private final List<Thread> readers;

    private HubProcess(Process process, Path dataDirectory) {
        this.process = process;
        this.dataDirectory = dataDirectory;
        this.readers = List.of(collect(process.getInputStream(), out, "hub-stdout"),
                collect(process.getErrorStream(), err, "hub-stderr"));
    }

    /** Starts {@code java -jar local-hub.jar start --data-dir DIR --host HOST} plus the given arguments. */
    static HubProcess start(Path dataDirectory, String... moreArguments) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the ITs with `./mvnw verify`");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlocalhub.host=" + HOST,
                "-jar", JAR.toAbsolutePath().toString(),
                "start", "--data-dir", dataDirectory.toString(), "--host", HOST));
        command.addAll(List.of(moreArguments));
        return new HubProcess(new ProcessBuilder(command).start(), dataDirectory);
    }

    /** Starts a hub and waits for its {@code ready} line. */
    static HubProcess startReady(Path dataDirectory, String... moreArguments) throws IOException {
        HubProcess hub = start(dataDirectory, moreArguments);
        try {
            hub.awaitReady();
        } catch (RuntimeException e) {
            hub.close();
            throw e;
        }
        return hub;
    }

    private static Thread collect(InputStream stream, List<String> lines, String name) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    void awaitReady() {
        Awaitility.await("the hub's ready line").atMost(Duration.ofSeconds(120))
                .failFast("the hub exited: " + err, () -> !process.isAlive())
                .until(() -> out.stream().anyMatch(line -> line.contains("ready")));
    }

    List<String> stdout() {
        return List.copyOf(out);
    }

    List<String> stderr() {
        return List.copyOf(err);
    }

    Process process() {
        return process;
    }

    Map<String, String> env() throws IOException {
        return HubEnvFile.read(dataDirectory.resolve(HubEnvFile.FILE_NAME)).values();
    }

    /** The CONNECT proxy the service SDK has to use (the hub runs with {@code --https-port 0}). */
    Proxy proxy() throws IOException {
        return new Proxy(Proxy.Type.HTTP, new InetSocketAddress(HOST, Integer.parseInt(env().get("LOCALHUB_PROXY_PORT"))));
    }

    /** Trusts the hub's CA as an application does: from the PEM file {@code LOCALHUB_CA_PEM} names. */
    SSLContext clientSslContext() throws IOException {
        return DevelopmentCaTrust.fromPemFile(Path.of(env().get("LOCALHUB_CA_PEM"))).sslContext();
    }

    /** Waits for the process to end on its own and for its last output lines; false when it is still running. */
    boolean awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        for (Thread reader : readers) {
            reader.join(10_000);
        }
        return true;
    }

    /** {@code kill -9}: the JVM gets no chance to close anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** What Ctrl-C does: SIGTERM, so shutdown hooks run. Returns the exit code. */
    int stop() throws InterruptedException {
        // through the handle: Process.destroy() would also close our end of the hub's stdout before its last lines
        process.toHandle().destroy();
        if (!awaitExit(Duration.ofSeconds(60))) {
            kill();
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
