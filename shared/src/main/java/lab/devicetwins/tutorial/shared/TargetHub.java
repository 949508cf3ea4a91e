package lab.devicetwins.tutorial.shared;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.ProxySettings;
import com.microsoft.azure.sdk.iot.device.auth.IotHubSSLContext;
import com.microsoft.azure.sdk.iot.service.ProxyOptions;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJobsClientOptions;
import com.microsoft.azure.sdk.iot.service.methods.DirectMethodsClientOptions;
import com.microsoft.azure.sdk.iot.service.query.QueryClientOptions;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClientOptions;
import com.microsoft.azure.sdk.iot.service.twin.TwinClientOptions;

import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.PortInUseException;
import lab.devicetwins.localhub.tls.DevelopmentCaTrust;

/**
 * The IoT hub the tutorial apps talk to, chosen by {@link #resolve()}: its connection strings and the client
 * options each SDK needs to reach it. For a real hub those options are the SDK defaults; for a local hub they
 * carry trust in its development CA and, where the hub cannot listen on port 443, an HTTP proxy.
 *
 * <p>Closing it stops the local hub it started, if any.
 */
public final class TargetHub implements AutoCloseable {

    /** How many loopback addresses (127.0.0.2 up to 127.0.0.N) an embedded hub tries when its usual one is taken. */
    private static final int EMBEDDED_ADDRESSES = 9;

    private final String description;
    private final String deviceConnectionString;
    private final String serviceConnectionString;
    private final String registryConnectionString;
    private final String localCaPem;
    private final InetSocketAddress httpsProxy;
    private final LocalHub startedHub;
    private final String serviceSource;

    /** @param serviceSource where the service connection string came from, named when the hub refuses it */
    TargetHub(String description, String deviceConnectionString, String serviceConnectionString,
              String registryConnectionString, String localCaPem, InetSocketAddress httpsProxy,
              LocalHub startedHub, String serviceSource) {
        this.description = description;
        this.deviceConnectionString = deviceConnectionString;
        this.serviceConnectionString = serviceConnectionString;
        this.registryConnectionString = registryConnectionString;
        this.localCaPem = localCaPem;
        this.httpsProxy = httpsProxy;
        this.startedHub = startedHub;
        this.serviceSource = serviceSource;
    }

    /**
     * Chooses the hub from the environment: the connection strings in {@code IOTHUB_DEVICE_CONNECTION_STRING},
     * {@code IOTHUB_SERVICE_CONNECTION_STRING} (preferred by the service apps: the article's least-privilege policy)
     * and {@code IOTHUB_CONNECTION_STRING} (registry work; the service apps' fallback); else a running local hub found
     * through {@code LOCALHUB_DIR} or a {@code .localhub/hub.env} in this directory or a parent. Prints which one it
     * uses.
     *
     * @throws IllegalStateException when there is no hub, saying how to start one
     * @throws IllegalArgumentException when a connection string has the wrong shape, naming its variable
     */
    public static TargetHub resolve() {
        return resolve(System.getenv());
    }

    /**
     * As {@link #resolve()}, with these variables in place of the process's environment: e.g. the lines of a
     * local hub's {@code hub.env}, which is what {@code set -a; . hub.env; set +a} would export.
     */
    public static TargetHub resolve(Map<String, String> environment) {
        return new HubResolver(environment, Path.of("").toAbsolutePath(), System.out).resolve();
    }

    /**
     * The local hub a learner runs in another terminal, when its {@code hub.env} is found (through
     * {@code LOCALHUB_DIR} or upwards from the working directory) and it answers; announced on {@code out}.
     */
    public static Optional<TargetHub> runningLocalHub(PrintStream out) {
        return new HubResolver(System.getenv(), Path.of("").toAbsolutePath(), out).runningLocalHub();
    }

    /** A target for a local hub that runs in this JVM; the caller keeps ownership of the hub. */
    public static TargetHub of(LocalHub hub, PrintStream out) {
        return forLocalHub(hub, "the local hub in this JVM", null, out);
    }

    /**
     * Starts a local hub in this JVM (in memory, with the article's device and policy) and targets it. When port
     * 8883 of the usual address is taken (a learner's hub in another terminal, say), it moves to the next loopback
     * address of 127.0.0.0/8, which Linux and Windows route to this machine without any setup.
     */
    public static TargetHub startEmbedded(PrintStream out) {
        String usual = System.getProperty("localhub.host", "127.0.0.1");
        PortInUseException taken = null;
        for (String host : embeddedHosts(usual)) {
            try {
                LocalHub hub = LocalHub.builder().inMemory().host(host).start();
                if (taken != null) {
                    out.println("Port 8883 of " + usual + " is taken (a local hub in another terminal?):"
                            + " this JVM's hub listens on " + host + " instead");
                }
                return forLocalHub(hub, "a local hub started in this JVM on " + host
                        + " (in memory; it stops when the app ends)", hub, out);
            } catch (PortInUseException e) {
                taken = e;
            }
        }
        throw new IllegalStateException("Port 8883 is taken on " + String.join(", ", embeddedHosts(usual))
                + ": stop the programs that hold it, or start this with -Dlocalhub.host=<a free loopback address>", taken);
    }

    private static List<String> embeddedHosts(String usual) {
        List<String> hosts = new ArrayList<>(List.of(usual));
        for (int last = 2; last <= EMBEDDED_ADDRESSES; last++) {
            String host = "127.0.0." + last;
            if (!host.equals(usual)) {
                hosts.add(host);
            }
        }
        return hosts;
    }

    private static TargetHub forLocalHub(LocalHub hub, String description, LocalHub owned, PrintStream out) {
        InetSocketAddress proxy = hub.httpsOnStandardPort() ? null : hub.proxyAddress().orElse(null);
        if (!hub.httpsOnStandardPort() && proxy == null) {
            throw new IllegalStateException("The local hub's HTTPS listener is on port " + hub.httpsPort()
                    + " and it offers no proxy: the service SDK can only reach port 443");
        }
        TargetHub target = new TargetHub(description, hub.deviceConnectionString(LocalHub.DEFAULT_DEVICE_ID),
                hub.serviceConnectionString(), hub.ownerConnectionString(), hub.caPem(), proxy, owned,
                "the local hub's " + LocalHub.ARTICLE_POLICY + " policy");
        target.announce(out);
        return target;
    }

    void announce(PrintStream out) {
        out.println("Using " + description);
        if (localCaPem != null) {
            DevelopmentCaTrust.fromPem(localCaPem).installForHttpsUrlConnection();
            out.println("  TLS: trusting the local hub's development CA in addition to the JDK's CAs"
                    + " (device SDK: ClientOptions.sslContext; service SDK: HttpsURLConnection's default socket factory)");
        }
        if (httpsProxy != null) {
            out.println("  HTTPS: port 443 is not bound here, so the service clients go through the hub's proxy at "
                    + httpsProxy.getHostString() + ":" + httpsProxy.getPort() + " (ProxyOptions)");
        }
    }

    public String description() {
        return description;
    }

    /** The device connection string ({@code HostName=…;DeviceId=…;SharedAccessKey=…}) of the tutorial's device. */
    public String deviceConnectionString() {
        return require(deviceConnectionString, HubResolver.DEVICE_CONNECTION_STRING,
                "a device connection string (HostName=...;DeviceId=...;SharedAccessKey=...)");
    }

    /**
     * The connection string the service and query apps use: a shared access policy with ServiceConnect, which
     * covers reading and writing twins and running queries (the article's {@code serviceAndRegistryRead}).
     */
    public String serviceConnectionString() {
        return require(serviceConnectionString, HubResolver.SERVICE_CONNECTION_STRING,
                "a shared access policy's connection string with ServiceConnect (the article's serviceAndRegistryRead)");
    }

    /** Where {@link #serviceConnectionString()} came from (a variable, or a hub.env line), to name it in errors. */
    public String serviceConnectionStringSource() {
        return serviceSource == null ? HubResolver.SERVICE_CONNECTION_STRING : serviceSource;
    }

    /**
     * The connection string of a device registered on this hub (by its id and primary key, as the registry returns
     * them), with this hub's host name.
     */
    public String deviceConnectionString(String deviceId, String primaryKey) {
        return "HostName=" + HubResolver.hostName(registryConnectionString()) + ";DeviceId=" + deviceId
                + ";SharedAccessKey=" + primaryKey;
    }

    /** Whether this is a local hub (its CA is the one trusted): queries answer from live state, nothing throttles. */
    public boolean isLocal() {
        return localCaPem != null;
    }

    /** A connection string that may also create and delete devices (RegistryWrite), as the end-to-end tests do. */
    public String registryConnectionString() {
        return require(registryConnectionString, HubResolver.OWNER_CONNECTION_STRING,
                "a shared access policy's connection string with RegistryWrite (e.g. iothubowner)");
    }

    public Optional<String> localCaPem() {
        return Optional.ofNullable(localCaPem);
    }

    public Optional<InetSocketAddress> httpsProxy() {
        return Optional.ofNullable(httpsProxy);
    }

    /** Options for {@code new DeviceClient(..., IotHubClientProtocol.MQTT, ...)}: trust in the local hub's CA. */
    public ClientOptions deviceClientOptions() {
        return deviceClientOptions(IotHubClientProtocol.MQTT);
    }

    /**
     * Options for {@code new DeviceClient(..., protocol, ...)}: trust in the local hub's CA when there is one, and for
     * {@code MQTT_WS}, which always dials port 443, the hub's proxy when the hub cannot listen on 443 (the device
     * SDK takes proxy settings for MQTT over WebSockets, not for plain MQTT).
     */
    public ClientOptions deviceClientOptions(IotHubClientProtocol protocol) {
        ClientOptions.ClientOptionsBuilder options = ClientOptions.builder();
        if (protocol == IotHubClientProtocol.MQTT_WS && httpsProxy != null) {
            options.proxySettings(new ProxySettings(new Proxy(Proxy.Type.HTTP, httpsProxy)));
        }
        if (localCaPem != null) {
            try {
                options.sslContext(IotHubSSLContext.getSSLContextFromString(localCaPem));
            } catch (Exception e) {
                throw new IllegalStateException("Cannot build an SSL context from the local hub's CA", e);
            }
        }
        return options.build();
    }

    /** Options for {@code new TwinClient(...)}: the hub's proxy when it cannot listen on 443. */
    public TwinClientOptions twinClientOptions() {
        return TwinClientOptions.builder().proxyOptions(proxyOptions()).build();
    }

    /** Options for {@code new QueryClient(...)}: the hub's proxy when it cannot listen on 443. */
    public QueryClientOptions queryClientOptions() {
        return QueryClientOptions.builder().proxyOptions(proxyOptions()).build();
    }

    /** Options for {@code new RegistryClient(...)}: the hub's proxy when it cannot listen on 443. */
    public RegistryClientOptions registryClientOptions() {
        return RegistryClientOptions.builder().proxyOptions(proxyOptions()).build();
    }

    /** Options for {@code new DirectMethodsClient(...)}: the hub's proxy when it cannot listen on 443. */
    public DirectMethodsClientOptions directMethodsClientOptions() {
        return DirectMethodsClientOptions.builder().proxyOptions(proxyOptions()).build();
    }

    /** Options for {@code new ScheduledJobsClient(...)}: the hub's proxy when it cannot listen on 443. */
    public ScheduledJobsClientOptions scheduledJobsClientOptions() {
        return ScheduledJobsClientOptions.builder().proxyOptions(proxyOptions()).build();
    }

    private ProxyOptions proxyOptions() {
        return httpsProxy == null ? null : new ProxyOptions(new Proxy(Proxy.Type.HTTP, httpsProxy));
    }

    private static String require(String value, String variable, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("No connection string for this app: set " + variable + " to " + what);
        }
        return value;
    }

    @Override
    public void close() {
        if (startedHub != null) {
            startedHub.close();
        }
    }
}
