package lab.devicetwins.localhub.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import lab.devicetwins.localhub.HubEnvFile;

/**
 * The hub as a learner runs it, {@code java -jar local-hub.jar start …}, in a process of its own: for tests of the
 * command line and of crashes, end-to-end tests that know the hub only by its hub.env, and benchmarks that measure
 * the hub's process apart from their own. It uses nothing but the JDK; the hub never uses it.
 *
 * <p><b>Ready</b> means: the data directory holds a hub.env whose {@value HubEnvFile#PID} is this process's id — not
 * one a stopped or killed hub left behind — and the MQTT, HTTPS and proxy ports it names accept connections. The hub
 * writes the file only once its ports are bound, and replaces it atomically. The ready line the hub prints
 * ({@value #READY_LINE}) is only the fallback for a hub.env without a process id (a jar built before it had one),
 * and otherwise just ends the wait early. Being ready comes a moment before the hub has printed everything it prints
 * on start: a caller that checks those lines waits for them with {@link #awaitOutput}.
 *
 * <p>{@link #close()} stops the process the way Ctrl-C does (and {@code kill -9} if that takes too long), and
 * deletes the data directory when it was a temporary one made by {@link Builder#start()}. A JVM shutdown hook kills
 * the hub should the caller's JVM end without closing it.
 */
public final class LocalHubProcess implements AutoCloseable {
    /** What the hub prints once it listens and hub.env is written. */
    public static final String READY_LINE = "local-hub: ready";
    /** A cold JVM on a busy two-core machine: generous, since only a hub that never starts should reach it. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);
    /** How long {@link #stop()} waits for the shutdown hook (closing the database) before it kills the hub. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(10);
    private static final int POLL_MILLIS = 25;
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    private final Process process;
    private final long startedNanos;
    private final Path dataDirectory;
    private final boolean temporaryDataDirectory;
    private final String host;
    private final Duration startTimeout;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final List<String> errorOutput = new CopyOnWriteArrayList<>();
    private final List<Thread> readers;
    private final Thread killOnExit;
    /** Notified for every line the hub prints and when its output ends, so the ready check need not wait a poll. */
    private final Object printed = new Object();
    private volatile boolean readyLineSeen;
    private volatile HubEnvFile hubEnv;
    private volatile long readyNanos;

    private LocalHubProcess(Process process, long startedNanos, Builder builder, Path dataDirectory,
                            boolean temporaryDataDirectory) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.dataDirectory = dataDirectory;
        this.temporaryDataDirectory = temporaryDataDirectory;
        this.host = builder.host;
        this.startTimeout = builder.startTimeout;
        this.readers = List.of(collect(process.getInputStream(), output, "local-hub-stdout"),
                collect(process.getErrorStream(), errorOutput, "local-hub-stderr"));
        this.killOnExit = new Thread(process::destroyForcibly, "local-hub-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** A hub process to be started from {@code jar}, the shaded {@code local-hub.jar}. */
    public static Builder builder(Path jar) {
        return new Builder(jar);
    }

    /** What to start: the jar, the data directory, the host, and any further JVM or command-line arguments. */
    public static final class Builder {
        private final Path jar;
        private Path dataDirectory;
        private String host = System.getProperty("localhub.host", "127.0.0.1");
        private final List<String> jvmArguments = new ArrayList<>();
        private final List<String> arguments = new ArrayList<>();
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder(Path jar) {
            this.jar = jar;
        }

        /** The hub's {@code --data-dir}; without one, a new temporary directory that {@link #close()} deletes. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** The hub's {@code --host} (and {@code -Dlocalhub.host}); default: this JVM's {@code localhub.host}, else 127.0.0.1. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Options for the hub's JVM, before {@code -jar}: {@code -Xmx…}, {@code -XX:…}, {@code -D…}. */
        public Builder jvmArguments(String... more) {
            jvmArguments.addAll(List.of(more));
            return this;
        }

        /** Options of the {@code start} command after {@code --data-dir} and {@code --host}: {@code --https-port 0}, … */
        public Builder arguments(String... more) {
            arguments.addAll(List.of(more));
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Starts the hub and waits until it is ready.
         *
         * @throws IllegalStateException if the jar is missing, or the hub exits or is not ready within the start
         *                               timeout (the message holds what it printed); the process is gone then
         */
        public LocalHubProcess start() throws IOException, InterruptedException {
            LocalHubProcess hub = launch();
            try {
                hub.awaitReady();
            } catch (InterruptedException e) {
                hub.process.destroyForcibly();
                hub.close();
                throw e;
            } catch (RuntimeException e) {
                hub.close();
                throw e;
            }
            return hub;
        }

        /**
         * Starts the hub without waiting for it, for a test of a start that fails; {@link #awaitReady()} waits later.
         *
         * @throws IllegalStateException if the jar is missing
         */
        public LocalHubProcess launch() throws IOException {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar.toAbsolutePath() + " does not exist: build the hub jar first"
                        + " (./mvnw -pl local-hub package -DskipTests from the repository root)");
            }
            boolean temporary = dataDirectory == null;
            Path directory = temporary ? Files.createTempDirectory("local-hub") : dataDirectory;
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmArguments);
            command.add("-Dlocalhub.host=" + host);
            command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "start",
                    "--data-dir", directory.toString(), "--host", host));
            command.addAll(arguments);
            long started = System.nanoTime();
            Process process;
            try {
                process = new ProcessBuilder(command).start();
            } catch (IOException e) {
                if (temporary) {
                    deleteTree(directory);
                }
                throw e;
            }
            return new LocalHubProcess(process, started, this, directory, temporary);
        }
    }

    private Thread collect(InputStream stream, List<String> lines, String name) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    if (line.startsWith(READY_LINE)) {
                        readyLineSeen = true;
                    }
                    wake();
                }
            } catch (IOException ended) {
                // the process is gone and took its end of the pipe with it
            } finally {
                wake();
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private void wake() {
        synchronized (printed) {
            printed.notifyAll();
        }
    }

    /**
     * Waits until the hub is ready (see the class comment); returns at once when it already is.
     *
     * @throws IllegalStateException if the hub exits first or is not ready within the start timeout; the message holds
     *                               what it printed. The process is left as it is: close it.
     */
    public void awaitReady() throws InterruptedException {
        long deadline = startedNanos + startTimeout.toNanos();
        String notYet = "it has written no hub.env yet";
        while (hubEnv == null) {
            Optional<HubEnvFile> written;
            try {
                written = hubEnvOfThisProcess();
                notYet = written.isPresent() ? "its ports do not accept connections yet" : "it has written no hub.env yet";
            } catch (IOException | RuntimeException unreadable) {
                written = Optional.empty();
                notYet = "its hub.env cannot be read: " + unreadable.getMessage();
            }
            if (written.isPresent() && portsAccept(written.get())) {
                readyNanos = System.nanoTime();
                hubEnv = written.get();
                return;
            }
            if (!process.isAlive()) {
                drainOutput();
                throw new IllegalStateException("The local hub exited with code " + process.exitValue()
                        + " before it was ready:\n" + printedText());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("The local hub was not ready within " + startTimeout.toSeconds()
                        + " s (" + notYet + "):\n" + printedText());
            }
            synchronized (printed) {
                printed.wait(POLL_MILLIS);
            }
        }
    }

    /** The hub.env in the data directory when this process wrote it; see the class comment for the fallback. */
    private Optional<HubEnvFile> hubEnvOfThisProcess() throws IOException {
        Path file = dataDirectory.resolve(HubEnvFile.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        HubEnvFile env = HubEnvFile.read(file);
        Optional<String> pid = env.get(HubEnvFile.PID);
        boolean ours = pid.isPresent() ? pid.get().equals(Long.toString(process.pid())) : readyLineSeen;
        return ours ? Optional.of(env) : Optional.empty();
    }

    private boolean portsAccept(HubEnvFile env) {
        String hostName = env.get(HubEnvFile.OWNER_CONNECTION_STRING).map(LocalHubProcess::hostName).orElse(host);
        for (String key : List.of(HubEnvFile.MQTT_PORT, HubEnvFile.HTTPS_PORT, HubEnvFile.PROXY_PORT)) {
            Optional<Integer> port = env.port(key);
            if (port.isEmpty() && !key.equals(HubEnvFile.PROXY_PORT)) {
                return false;
            }
            if (port.isPresent() && !accepts(hostName, port.get())) {
                return false;
            }
        }
        return true;
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The {@code HostName=…} part of a connection string, or null. */
    private static String hostName(String connectionString) {
        for (String part : connectionString.split(";")) {
            int separator = part.indexOf('=');
            if (separator > 0 && part.substring(0, separator).strip().equalsIgnoreCase("HostName")) {
                return part.substring(separator + 1).strip();
            }
        }
        return null;
    }

    /**
     * The hub.env this process wrote, as read when it became ready: connection strings, the CA's PEM file, ports.
     *
     * @throws IllegalStateException before the hub is ready
     */
    public HubEnvFile hubEnv() {
        HubEnvFile env = hubEnv;
        if (env == null) {
            throw new IllegalStateException("The local hub is not ready yet: call awaitReady() first");
        }
        return env;
    }

    /**
     * From starting the process to seeing it ready: the JVM's start, the hub's (certificates, database, listeners),
     * and at most a few milliseconds of this class noticing.
     *
     * @throws IllegalStateException before the hub is ready
     */
    public Duration startedIn() {
        hubEnv();
        return Duration.ofNanos(readyNanos - startedNanos);
    }

    /**
     * Waits until the hub has printed a line {@code matching} to its standard output.
     *
     * @return false when it has not within {@code atMost}, or its output ended without one
     */
    public boolean awaitOutput(Predicate<String> matching, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (output.stream().noneMatch(matching)) {
            boolean ended = readers.get(0).getState() == Thread.State.TERMINATED;
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                return output.stream().anyMatch(matching);
            }
            synchronized (printed) {
                printed.wait(Math.max(1, Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
        return true;
    }

    /** The lines the hub printed to its standard output so far. */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** The lines the hub printed to its standard error so far: one line naming the problem when it cannot start. */
    public List<String> errorOutput() {
        return List.copyOf(errorOutput);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The process's exit code.
     *
     * @throws IllegalThreadStateException while it runs
     */
    public int exitValue() {
        return process.exitValue();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The {@code --host} it was started with: the HostName of its connection strings and the address it listens on. */
    public String host() {
        return host;
    }

    /**
     * Waits for the process to end on its own, and for its last output lines.
     *
     * @return false when it is still running after {@code atMost}
     */
    public boolean awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        drainOutput();
        return true;
    }

    /**
     * Stops the hub the way Ctrl-C does (SIGTERM: its shutdown hook closes the ports and the database) and waits for
     * it; kills it when that takes longer than a minute. Returns the exit code.
     */
    public int stop() throws InterruptedException {
        // through the handle: Process.destroy() would also close our end of the hub's output before its last lines
        process.toHandle().destroy();
        if (!awaitExit(STOP_TIMEOUT)) {
            kill();
        }
        return process.exitValue();
    }

    /** {@code kill -9}: what a crash looks like to the hub's database; nothing of the hub gets to run. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        drainOutput();
    }

    private void drainOutput() throws InterruptedException {
        for (Thread reader : readers) {
            reader.join(OUTPUT_DRAIN.toMillis());
        }
    }

    private String printedText() {
        List<String> all = new ArrayList<>(output);
        all.addAll(errorOutput);
        return String.join("\n", all);
    }

    /**
     * Stops the hub if it still runs ({@link #stop()}; killed at once when this thread is interrupted), then deletes
     * the data directory if it is a temporary one.
     *
     * @throws UncheckedIOException if the temporary data directory cannot be deleted
     */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                stop();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway, on a process that is already gone
        }
        if (temporaryDataDirectory) {
            deleteTree(dataDirectory);
        }
    }

    private static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the hub's temporary data directory " + directory, e);
        }
    }

    @Override
    public String toString() {
        return "LocalHubProcess[pid " + process.pid() + ", " + dataDirectory + (process.isAlive() ? "" : ", exited")
                + "]";
    }
}
