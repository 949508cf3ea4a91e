package lab.devicetwins.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import lab.devicetwins.localhub.HubEnvFile;

/**
 * The hub as a user runs it: {@code java -jar local-hub.jar start}, in its own process, so its CPU time and memory
 * are measured from {@code /proc} exactly like Mosquitto's, apart from the load generator's.
 */
final class HubProcess implements AutoCloseable {
    private final Process process;
    private final long readyNanos;
    private final Map<String, String> env;

    private HubProcess(Process process, long readyNanos, Map<String, String> env) {
        this.process = process;
        this.readyNanos = readyNanos;
        this.env = env;
    }

    /**
     * Starts the hub on {@code host} and waits for its {@code ready} line.
     *
     * @param mqttPort 8883 for the device SDK, 0 for any free port
     */
    static HubProcess start(BenchEnvironment bench, Path dataDir, int mqttPort, boolean inMemory, List<String> jvmArgs)
            throws IOException, InterruptedException {
        if (!Files.exists(bench.hubJar())) {
            throw new IllegalStateException(bench.hubJar() + " is missing: build with"
                    + " ./mvnw -q -Pbench -pl bench -am package -DskipTests");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Dlocalhub.host=" + bench.hubHost());
        command.addAll(List.of("-jar", bench.hubJar().toString(), "start", "--data-dir", dataDir.toString(),
                "--host", bench.hubHost(), "--mqtt-port", Integer.toString(mqttPort), "--https-port", "0"));
        if (inMemory) {
            command.add("--in-memory");
        }
        Files.createDirectories(dataDir);
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CountDownLatch ready = new CountDownLatch(1);
        long[] readyAt = new long[1];
        Path log = dataDir.resolve("hub.log");
        Thread drain = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); PrintWriter file = new PrintWriter(Files.newBufferedWriter(log))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (readyAt[0] == 0 && line.contains("local-hub: ready")) {
                        readyAt[0] = System.nanoTime();
                        ready.countDown();
                    }
                    file.println(line);
                    file.flush();
                }
            } catch (IOException ignored) {
                // the hub stopped; its log has what it printed
            } finally {
                ready.countDown();
            }
        }, "hub-output");
        drain.setDaemon(true);
        drain.start();
        if (!ready.await(300, TimeUnit.SECONDS) || readyAt[0] == 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the hub did not print 'ready'; see " + log + ":\n"
                    + (Files.exists(log) ? Files.readString(log) : ""));
        }
        return new HubProcess(process, readyAt[0] - started, HubEnvFile.read(dataDir.resolve(HubEnvFile.FILE_NAME)).values());
    }

    long pid() {
        return process.pid();
    }

    /** From process start to the {@code ready} line. */
    double startMillis() {
        return readyNanos / 1e6;
    }

    String env(String key) {
        String value = env.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("hub.env has no " + key);
        }
        return value;
    }

    Path caPem() {
        return Path.of(env("LOCALHUB_CA_PEM"));
    }

    int httpsPort() {
        return Integer.parseInt(env("LOCALHUB_HTTPS_PORT"));
    }

    int proxyPort() {
        return Integer.parseInt(env("LOCALHUB_PROXY_PORT"));
    }

    int mqttPort() {
        return Integer.parseInt(env("LOCALHUB_MQTT_PORT"));
    }

    String ownerConnectionString() {
        return env("IOTHUB_CONNECTION_STRING");
    }

    /** Stops the hub the way Ctrl-C does, so it closes its database; kills it if that takes too long. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** kill -9: what a crash looks like to the database. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
