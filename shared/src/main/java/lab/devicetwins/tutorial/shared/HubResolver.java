package lab.devicetwins.tutorial.shared;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import lab.devicetwins.localhub.HubEnvFile;

/**
 * Decides which hub the apps talk to. Kept apart from {@link TargetHub} so the decision can be tested with any
 * environment and directory.
 */
final class HubResolver {

    static final String DEVICE_CONNECTION_STRING = HubEnvFile.DEVICE_CONNECTION_STRING;
    /** The article's least-privilege policy (ServiceConnect + RegistryRead): what the service and query apps use. */
    static final String SERVICE_CONNECTION_STRING = HubEnvFile.SERVICE_CONNECTION_STRING;
    /** The variable the Azure samples use; here the policy that may also change the registry (e.g. iothubowner). */
    static final String OWNER_CONNECTION_STRING = HubEnvFile.OWNER_CONNECTION_STRING;
    /** Points at a local hub's data directory, the one holding its hub.env. */
    static final String LOCALHUB_DIR = "LOCALHUB_DIR";
    static final Path DEFAULT_DATA_DIRECTORY = Path.of(".localhub");

    /** What a local hub's hub.env adds next to the connection strings; meaningful only for that hub. */
    private static final List<String> LOCAL_HUB_VARIABLES = List.of(HubEnvFile.CA_PEM, HubEnvFile.HTTPS_PORT,
            HubEnvFile.PROXY_PORT, HubEnvFile.MQTT_PORT, HubEnvFile.PID);
    /** An IP literal: resolving it asks no name server. */
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:]+]?");
    private static final int HTTPS_STANDARD_PORT = 443;
    private static final int REACHABLE_TIMEOUT_MILLIS = 500;

    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final PrintStream out;

    HubResolver(Map<String, String> environment, Path workingDirectory, PrintStream out) {
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory.toAbsolutePath();
        this.out = out;
    }

    /**
     * The hub named by the environment's connection strings, else the running local hub whose hub.env is found.
     *
     * @throws IllegalStateException when there is neither, saying how to start a hub or which variables to set
     */
    TargetHub resolve() {
        if (variable(DEVICE_CONNECTION_STRING).isPresent() || variable(SERVICE_CONNECTION_STRING).isPresent()
                || variable(OWNER_CONNECTION_STRING).isPresent()) {
            return fromEnvironment();
        }
        return runningLocalHub().orElseThrow(() -> new IllegalStateException("No hub to talk to. Start the local hub"
                + " in another terminal and keep it running (java -jar local-hub/target/local-hub.jar start, see"
                + " docs/00-prerequisites.md), or set " + DEVICE_CONNECTION_STRING + " and "
                + SERVICE_CONNECTION_STRING + " to a real hub's connection strings (docs/real-hub.md)."));
    }

    /** The local hub of a hub.env found through {@code LOCALHUB_DIR} or upwards from here, when it answers. */
    Optional<TargetHub> runningLocalHub() {
        Optional<HubEnvFile> hubEnv = findHubEnv();
        if (hubEnv.isEmpty()) {
            return Optional.empty();
        }
        HubEnvFile file = hubEnv.get();
        if (!answers(file)) {
            out.println("Found " + file.path() + " but no local hub answers on its MQTT port"
                    + " (stopped? delete the file to silence this)");
            return Optional.empty();
        }
        return Optional.of(fromHubEnv(file));
    }

    private TargetHub fromEnvironment() {
        String device = variable(DEVICE_CONNECTION_STRING)
                .map(value -> ConnectionStringShape.device(DEVICE_CONNECTION_STRING, value)).orElse(null);
        String owner = variable(OWNER_CONNECTION_STRING)
                .map(value -> ConnectionStringShape.policy(OWNER_CONNECTION_STRING, value)).orElse(null);
        String least = variable(SERVICE_CONNECTION_STRING)
                .map(value -> ConnectionStringShape.policy(SERVICE_CONNECTION_STRING, value)).orElse(null);
        // The apps prefer the article's least-privilege policy; the owner's string is for the registry work of the
        // end-to-end tests, and for the apps only when it is the one string given (as the Azure samples do).
        String service = least != null ? least : owner;
        String serviceVariable = least != null ? SERVICE_CONNECTION_STRING : OWNER_CONNECTION_STRING;
        String host = hostName(service != null ? service : device);

        String caPem = null;
        InetSocketAddress proxy = null;
        if (localHubVariablesBelongTo(host)) {
            caPem = variable(HubEnvFile.CA_PEM).map(Path::of).map(HubResolver::readPem).orElse(null);
            proxy = proxy(variable(HubEnvFile.HTTPS_PORT).map(Integer::valueOf),
                    variable(HubEnvFile.PROXY_PORT).map(Integer::valueOf), host);
        }
        TargetHub target = new TargetHub("the hub named by the environment variables " + String.join(" / ",
                present(DEVICE_CONNECTION_STRING, SERVICE_CONNECTION_STRING, OWNER_CONNECTION_STRING)),
                device, service, owner, caPem, proxy, null, serviceVariable);
        target.announce(out);
        return target;
    }

    /**
     * LOCALHUB_* left in a shell from an earlier {@code . .localhub/hub.env} must not be applied to another hub: a
     * real hub's host name would get the local hub's proxy port. They count only when the connection strings name a
     * loopback address and the hub process that wrote them still runs.
     */
    private boolean localHubVariablesBelongTo(String host) {
        List<String> set = LOCAL_HUB_VARIABLES.stream().filter(name -> variable(name).isPresent()).toList();
        if (set.isEmpty()) {
            return false;
        }
        if (!isLoopback(host)) {
            out.println("Ignoring " + String.join(", ", set) + ": they describe a local hub, but the connection strings"
                    + " name " + host + " (unset them, or open a new shell, to silence this)");
            return false;
        }
        Optional<Long> pid = variable(HubEnvFile.PID).map(Long::valueOf);
        if (pid.isPresent() && !ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
            out.println("Ignoring " + String.join(", ", set) + ": the local hub that wrote them (process " + pid.get()
                    + ") is no longer running; start it again and load its new hub.env");
            return false;
        }
        return true;
    }

    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IP_LITERAL.matcher(host).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private TargetHub fromHubEnv(HubEnvFile file) {
        String owner = ConnectionStringShape.policy(file.path() + "'s " + OWNER_CONNECTION_STRING,
                file.get(OWNER_CONNECTION_STRING).orElseThrow(() -> missing(file, OWNER_CONNECTION_STRING)));
        String service = file.get(SERVICE_CONNECTION_STRING)
                .map(value -> ConnectionStringShape.policy(file.path() + "'s " + SERVICE_CONNECTION_STRING, value))
                .orElse(owner);
        String device = file.get(DEVICE_CONNECTION_STRING)
                .map(value -> ConnectionStringShape.device(file.path() + "'s " + DEVICE_CONNECTION_STRING, value))
                .orElse(null);
        String caPem = file.path(HubEnvFile.CA_PEM).map(HubResolver::readPem).orElse(null);
        InetSocketAddress proxy = proxy(file.port(HubEnvFile.HTTPS_PORT), file.port(HubEnvFile.PROXY_PORT), hostName(owner));
        // The apps get the article's least-privilege policy; only the registry work uses the owner.
        TargetHub target = new TargetHub("the local hub described by " + file.path(), device, service, owner, caPem,
                proxy, null, file.path() + "'s " + SERVICE_CONNECTION_STRING);
        target.announce(out);
        return target;
    }

    private Optional<HubEnvFile> findHubEnv() {
        Optional<String> dataDirectory = variable(LOCALHUB_DIR);
        if (dataDirectory.isPresent()) {
            Path file = workingDirectory.resolve(dataDirectory.get()).resolve(HubEnvFile.FILE_NAME);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(LOCALHUB_DIR + " is " + dataDirectory.get() + " but " + file
                        + " does not exist: start the hub with that data directory first");
            }
            return Optional.of(read(file));
        }
        // exec:java runs in the directory Maven was started from; look upwards so a module directory works too.
        for (Path directory = workingDirectory; directory != null; directory = directory.getParent()) {
            Path file = directory.resolve(DEFAULT_DATA_DIRECTORY).resolve(HubEnvFile.FILE_NAME);
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
        String host = file.get(OWNER_CONNECTION_STRING).map(HubResolver::hostName).orElse("127.0.0.1");
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

    private List<String> present(String... names) {
        return List.of(names).stream().filter(name -> variable(name).isPresent()).toList();
    }

    private Optional<String> variable(String name) {
        return Optional.ofNullable(environment.get(name)).map(HubResolver::unquoted).filter(value -> !value.isBlank());
    }

    /**
     * A value as a shell would have read it from hub.env. Windows cmd's {@code for /f} loop, the one way to load
     * the file there, keeps the single quotes hub.env puts around each value.
     */
    static String unquoted(String value) {
        String trimmed = value.strip();
        if (trimmed.length() >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'")) {
            return trimmed.substring(1, trimmed.length() - 1).replace("'\\''", "'");
        }
        return value;
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
