package lab.devicetwins.tutorial.shared;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import lab.devicetwins.localhub.HubEnvFile;

/**
 * Decides which hub the apps talk to. Kept apart from {@link TargetHub} so the decision can be tested with
 * any environment, directory and fallback.
 */
final class HubResolver {

    static final String DEVICE_CONNECTION_STRING = HubEnvFile.DEVICE_CONNECTION_STRING;
    /** The variable the Azure samples use for the service side; the apps need ServiceConnect + RegistryRead. */
    static final String SERVICE_CONNECTION_STRING = HubEnvFile.OWNER_CONNECTION_STRING;
    /** Points at a local hub's data directory, the one holding its hub.env. */
    static final String LOCALHUB_DIR = "LOCALHUB_DIR";
    static final Path DEFAULT_DATA_DIRECTORY = Path.of(".localhub");

    private static final int HTTPS_STANDARD_PORT = 443;
    private static final int REACHABLE_TIMEOUT_MILLIS = 500;

    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final PrintStream out;
    private final Function<PrintStream, TargetHub> embeddedHub;

    HubResolver(Map<String, String> environment, Path workingDirectory, PrintStream out,
                Function<PrintStream, TargetHub> embeddedHub) {
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory.toAbsolutePath();
        this.out = out;
        this.embeddedHub = embeddedHub;
    }

    TargetHub resolve() {
        if (variable(DEVICE_CONNECTION_STRING).isPresent() || variable(SERVICE_CONNECTION_STRING).isPresent()) {
            return fromEnvironment();
        }
        Optional<HubEnvFile> hubEnv = findHubEnv();
        if (hubEnv.isPresent()) {
            HubEnvFile file = hubEnv.get();
            if (answers(file)) {
                return fromHubEnv(file);
            }
            out.println("Found " + file.path() + " but no local hub answers on its MQTT port"
                    + " (stopped? delete the file to silence this)");
        }
        return embeddedHub.apply(out);
    }

    private TargetHub fromEnvironment() {
        // LOCALHUB_* next to the connection strings: a local hub started elsewhere, e.g. after
        // `set -a; . .localhub/hub.env; set +a`.
        String caPem = variable(HubEnvFile.CA_PEM).map(Path::of).map(HubResolver::readPem).orElse(null);
        String serviceConnectionString = variable(SERVICE_CONNECTION_STRING).orElse(null);
        InetSocketAddress proxy = proxy(
                variable(HubEnvFile.HTTPS_PORT).map(Integer::valueOf),
                variable(HubEnvFile.PROXY_PORT).map(Integer::valueOf),
                hostName(serviceConnectionString != null ? serviceConnectionString
                        : variable(DEVICE_CONNECTION_STRING).orElseThrow()));
        TargetHub target = new TargetHub("the hub named by the environment variables "
                + DEVICE_CONNECTION_STRING + " / " + SERVICE_CONNECTION_STRING,
                variable(DEVICE_CONNECTION_STRING).orElse(null), serviceConnectionString, serviceConnectionString,
                caPem, proxy, null);
        target.announce(out);
        return target;
    }

    private TargetHub fromHubEnv(HubEnvFile file) {
        String owner = file.get(HubEnvFile.OWNER_CONNECTION_STRING).orElseThrow(() -> missing(file, HubEnvFile.OWNER_CONNECTION_STRING));
        String caPem = file.path(HubEnvFile.CA_PEM).map(HubResolver::readPem).orElse(null);
        InetSocketAddress proxy = proxy(file.port(HubEnvFile.HTTPS_PORT), file.port(HubEnvFile.PROXY_PORT), hostName(owner));
        TargetHub target = new TargetHub("the local hub described by " + file.path(),
                file.get(HubEnvFile.DEVICE_CONNECTION_STRING).orElse(null),
                // The apps get the article's least-privilege policy; only the registry work uses the owner.
                file.get(HubEnvFile.SERVICE_CONNECTION_STRING).orElse(owner), owner, caPem, proxy, null);
        target.announce(out);
        return target;
    }

    private Optional<HubEnvFile> findHubEnv() {
        Optional<String> dataDirectory = variable(LOCALHUB_DIR);
        if (dataDirectory.isPresent()) {
            Path file = workingDirectory.resolve(dataDirectory.get()).resolve("hub.env");
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(LOCALHUB_DIR + " is " + dataDirectory.get() + " but " + file
                        + " does not exist: start the hub with that data directory first");
            }
            return Optional.of(read(file));
        }
        // exec:java runs in the directory Maven was started from; look upwards so a module directory works too.
        for (Path directory = workingDirectory; directory != null; directory = directory.getParent()) {
            Path file = directory.resolve(DEFAULT_DATA_DIRECTORY).resolve("hub.env");
            if (Files.isRegularFile(file)) {
                return Optional.of(read(file));
            }
        }
        return Optional.empty();
    }

    private static HubEnvFile read(Path file) {
        try {
            return HubEnvFile.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the local hub's settings from " + file, e);
        }
    }

    private static boolean answers(HubEnvFile file) {
        String host = file.get(HubEnvFile.OWNER_CONNECTION_STRING).map(HubResolver::hostName).orElse("127.0.0.1");
        int port = file.port(HubEnvFile.MQTT_PORT).orElse(8883);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), REACHABLE_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** No proxy when the hub serves HTTPS on 443 (or says nothing about ports, as a real hub). */
    static InetSocketAddress proxy(Optional<Integer> httpsPort, Optional<Integer> proxyPort, String host) {
        if (httpsPort.isEmpty() || httpsPort.get() == HTTPS_STANDARD_PORT) {
            return null;
        }
        if (proxyPort.isEmpty()) {
            throw new IllegalStateException("The local hub serves HTTPS on port " + httpsPort.get()
                    + " and offers no proxy, but the service SDK can only connect to port 443:"
                    + " start the hub with a proxy port or on port 443");
        }
        return InetSocketAddress.createUnresolved(host, proxyPort.get());
    }

    /** The HostName=… part of a connection string. */
    static String hostName(String connectionString) {
        for (String part : connectionString.split(";")) {
            int separator = part.indexOf('=');
            if (separator > 0 && part.substring(0, separator).strip().equalsIgnoreCase("HostName")) {
                return part.substring(separator + 1).strip();
            }
        }
        throw new IllegalArgumentException("The connection string has no HostName=... part");
    }

    private Optional<String> variable(String name) {
        return Optional.ofNullable(environment.get(name)).filter(value -> !value.isBlank());
    }

    private static String readPem(Path path) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the local hub's CA certificate from " + path, e);
        }
    }

    private static IllegalStateException missing(HubEnvFile file, String key) {
        return new IllegalStateException(file.path() + " has no " + key + " line");
    }
}
