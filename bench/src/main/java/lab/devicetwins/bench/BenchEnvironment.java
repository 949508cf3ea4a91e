package lab.devicetwins.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import lab.devicetwins.localhub.process.LocalHubProcess;

/**
 * Where things are and how long to measure. Set by {@code bench/run.sh} through system properties; the defaults are
 * the addresses given to the benchmarks on the shared development machine.
 *
 * @param repoRoot       the project checkout (for {@code ./mvnw} and the hub jar)
 * @param workDir        data directories, certificates, logs and recordings of the benchmarks
 * @param hubHost        the hub's loopback address and HostName
 * @param mosquittoHost  Mosquitto's loopback address (port 8883, TLS)
 * @param mosquittoCa    the CA that signed Mosquitto's certificate (PEM)
 * @param mosquittoPid   Mosquitto's process id, for its CPU time and memory; empty when it is not running
 * @param runs           runs per figure (the median of at least three is reported)
 * @param seconds        measured seconds per run of a throughput or latency loop
 * @param warmupSeconds  unmeasured seconds before each run
 * @param profile        record the hub with JFR during one extra run of scenarios 2 and 3 and print its hot spots
 * @param withVerify     let the developer-loop scenario time a warm {@code ./mvnw verify} (minutes; once)
 */
record BenchEnvironment(Path repoRoot, Path workDir, String hubHost, String mosquittoHost, Path mosquittoCa,
                        OptionalLong mosquittoPid, int runs, int seconds, int warmupSeconds, boolean profile,
                        boolean withVerify) {
    static final int MQTT_PORT = 8883;

    static BenchEnvironment fromSystemProperties() {
        Path root = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
        Path work = Path.of(System.getProperty("bench.work", root.resolve("bench/target/work").toString()));
        String pid = System.getProperty("bench.mosquitto.pid", "");
        return new BenchEnvironment(root, work,
                System.getProperty("localhub.host", "127.0.0.15"),
                System.getProperty("bench.mosquitto.host", "127.0.0.16"),
                Path.of(System.getProperty("bench.mosquitto.ca", work.resolve("mosquitto/ca.pem").toString())),
                pid.isBlank() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(pid.trim())),
                Integer.getInteger("bench.runs", 3),
                Integer.getInteger("bench.seconds", 5),
                Integer.getInteger("bench.warmup", 3),
                Boolean.getBoolean("bench.profile"),
                Boolean.getBoolean("bench.verify"));
    }

    /** The jar built from this checkout, or {@code -Dbench.hubJar=…} (e.g. an older build, for before/after runs). */
    Path hubJar() {
        String other = System.getProperty("bench.hubJar", "");
        return other.isBlank() ? repoRoot.resolve("local-hub/target/local-hub.jar") : Path.of(other);
    }

    /**
     * The hub as a user runs it, {@code java -jar local-hub.jar start}, in its own process on {@link #hubHost()}, so
     * its CPU time and memory are measured from {@code /proc} exactly like Mosquitto's, apart from the load
     * generator's. HTTPS is on a free port behind the hub's proxy.
     *
     * @param mqttPort 8883 for the device SDK, 0 for any free port
     */
    LocalHubProcess.Builder hubProcess(Path dataDir, int mqttPort) {
        if (!Files.exists(hubJar())) {
            throw new IllegalStateException(hubJar() + " is missing: build with"
                    + " ./mvnw -q -Pbench -pl bench -am package -DskipTests");
        }
        return LocalHubProcess.builder(hubJar()).dataDirectory(dataDir).host(hubHost())
                .arguments("--mqtt-port", Integer.toString(mqttPort), "--https-port", "0")
                // a hub opening 100,000 twins on a machine the benchmark keeps busy
                .startTimeout(Duration.ofSeconds(300));
    }

    long requireMosquittoPid() {
        if (mosquittoPid.isEmpty() || !Files.exists(Path.of("/proc", Long.toString(mosquittoPid.getAsLong())))) {
            throw new IllegalStateException("Mosquitto is not running: start the benchmarks with bench/run.sh,"
                    + " which installs and starts it on " + mosquittoHost + ":" + MQTT_PORT);
        }
        return mosquittoPid.getAsLong();
    }
}
