package lab.devicetwins.localhub;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.KeyStoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.auth.Authenticator;
import lab.devicetwins.localhub.auth.ClientCertificateCheck;
import lab.devicetwins.localhub.auth.SharedAccessPolicy;
import lab.devicetwins.localhub.core.CloudToDeviceMessages;
import lab.devicetwins.localhub.core.ConnectionFaults;
import lab.devicetwins.localhub.core.DeviceDirectory;
import lab.devicetwins.localhub.core.DirectMethods;
import lab.devicetwins.localhub.core.DirectoryTwinQueries;
import lab.devicetwins.localhub.core.IdentityPropagation;
import lab.devicetwins.localhub.core.IdentityRegistry;
import lab.devicetwins.localhub.core.LaggingTwinQueries;
import lab.devicetwins.localhub.core.ScheduledJobs;
import lab.devicetwins.localhub.core.TwinOperations;
import lab.devicetwins.localhub.core.TwinQueries;
import lab.devicetwins.localhub.http.ConnectProxy;
import lab.devicetwins.localhub.http.ConnectionLimits;
import lab.devicetwins.localhub.http.HttpsServiceEndpoint;
import lab.devicetwins.localhub.http.TwinView;
import lab.devicetwins.localhub.inspector.Inspector;
import lab.devicetwins.localhub.log.RequestLog;
import lab.devicetwins.localhub.messaging.CloudToDeviceMessage;
import lab.devicetwins.localhub.messaging.CloudToDeviceRequest;
import lab.devicetwins.localhub.mqtt.DeviceSideRealism;
import lab.devicetwins.localhub.mqtt.MqttDeviceEndpoint;
import lab.devicetwins.localhub.mqtt.MqttOverWebSockets;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.localhub.realism.Operation;
import lab.devicetwins.localhub.realism.Throttles;
import lab.devicetwins.localhub.registry.Authentication;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.registry.IdentityKey;
import lab.devicetwins.localhub.store.HubStore;
import lab.devicetwins.localhub.store.InMemoryHubStore;
import lab.devicetwins.localhub.store.SqliteHubStore;
import lab.devicetwins.localhub.tls.DevelopmentCaTrust;
import lab.devicetwins.localhub.tls.DevelopmentCertificates;
import lab.devicetwins.localhub.tls.DeviceCertificate;
import lab.devicetwins.localhub.twin.TwinLimits;

/**
 * A local IoT Hub (device twins) that the unmodified official SDKs talk to: MQTT over TLS for devices (port 8883, or
 * MQTT over WebSockets on the HTTPS port for {@code IotHubClientProtocol.MQTT_WS}), HTTPS for the service side,
 * SQLite (or memory) for what it keeps.
 *
 * <pre>{@code
 * try (LocalHub hub = LocalHub.builder().start()) {
 *     DeviceClient device = new DeviceClient(hub.deviceConnectionString("myDeviceId"), IotHubClientProtocol.MQTT,
 *             ClientOptions.builder().sslContext(hub.clientSslContext()).build());
 *     ...
 * }
 * }</pre>
 */
public final class LocalHub implements AutoCloseable {
    /** The device the article uses; created when a hub starts on a new data directory. */
    public static final String DEFAULT_DEVICE_ID = "myDeviceId";
    /** The policy the article asks you to create: service connect + registry read. */
    public static final String ARTICLE_POLICY = "serviceAndRegistryRead";
    public static final int STANDARD_MQTT_PORT = 8883;
    public static final int STANDARD_HTTPS_PORT = 443;

    private final String host;
    private final Vertx vertx;
    private final HubStore store;
    private final DeviceDirectory directory;
    private final IdentityRegistry registry;
    private final DevelopmentCertificates certificates;
    private final MqttDeviceEndpoint mqtt;
    private final MqttOverWebSockets mqttOverWebSockets;
    private final DirectMethods methods;
    private final ConnectionFaults faults;
    private final CloudToDeviceMessages cloudToDevice;
    private final ScheduledJobs jobs;
    private final HttpsServiceEndpoint https;
    private final ConnectProxy proxy;
    private final int mqttPort;
    private final int httpsPort;
    private final Integer proxyPort;
    private final Inspector inspector;
    private final Optional<Path> dataDirectory;
    private final HubProfile profile;
    private final Throttles throttles;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalHub(Builder b) {
        this.host = b.host;
        this.profile = b.profile;
        this.dataDirectory = Optional.ofNullable(b.dataDirectory);
        this.certificates = DevelopmentCertificates.loadOrCreate(b.dataDirectory, b.hostNames());
        this.store = b.store != null ? b.store
                : b.dataDirectory == null || b.inMemory ? new InMemoryHubStore() : SqliteHubStore.open(b.dataDirectory);
        boolean fresh = store.isNew();
        this.directory = new DeviceDirectory(store, b.clock, b.limits);
        this.registry = new IdentityRegistry(directory, b.policies);
        TwinOperations twins = new TwinOperations(directory);
        List<X509Certificate> deviceCas = new ArrayList<>(b.trustedDeviceCas);
        deviceCas.add(certificates.caCertificate());
        Authenticator authenticator = new Authenticator(b.hostNames(), registry, b.clock,
                new ClientCertificateCheck(deviceCas), b.profile.sasExpiryTolerance());
        this.throttles = Throttles.of(b.profile, System::nanoTime);
        RequestLog requestLog = b.requestLog == null ? RequestLog.OFF : RequestLog.to(b.requestLog, b.clock);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(b.eventLoops).setWorkerPoolSize(4));
        this.methods = new DirectMethods(registry);
        this.faults = new ConnectionFaults(b.clock);
        this.cloudToDevice = new CloudToDeviceMessages(registry, directory);
        this.mqtt = new MqttDeviceEndpoint(vertx, authenticator, registry, twins, methods, faults, cloudToDevice,
                directory, requestLog, new DeviceSideRealism(throttles, IdentityPropagation.after(directory.changes(),
                        b.profile.identityPropagation(), b.clock), b.profile.connectedTokenGrace()));
        faults.setConnections(mqtt);
        cloudToDevice.setDevices(mqtt);
        this.mqttOverWebSockets = new MqttOverWebSockets(vertx, mqtt);
        registry.setEvents(mqtt);
        twins.setEvents(mqtt);
        methods.setDevices(mqtt);
        DirectoryTwinQueries liveQueries = new DirectoryTwinQueries(directory, TwinView::of);
        // realistic mode: queries, job selections and the inspector's query console read an index that trails
        // writes; with no lag the change feed stays unlistened, so the twin write path pays nothing for it
        TwinQueries queries = b.profile.queryLag().isZero() ? liveQueries
                : LaggingTwinQueries.over(directory, b.profile.queryLag(), liveQueries);
        this.jobs = new ScheduledJobs(directory, twins, methods, queries, b.activeJobLimit());
        liveQueries.setDeviceJobs(jobs::deviceJobRows);
        this.https = new HttpsServiceEndpoint(vertx, authenticator, registry, twins, queries, methods, jobs, faults,
                cloudToDevice, requestLog, throttles);
        try {
            if (fresh) {
                for (String deviceId : b.seedDevices) {
                    registry.create(DeviceRequest.withKeys(deviceId,
                            WellKnownKeys.deviceKey(deviceId, true), WellKnownKeys.deviceKey(deviceId, false))).get();
                }
            }
            KeyCertOptions serverCertificate = serverCertificate();
            this.mqttPort = bind("MQTT", b.mqttPort, mqtt.listen(b.bindHost(), b.mqttPort, serverCertificate,
                    b.connectionLimits.mqttConnectTimeout()));
            await(mqttOverWebSockets.listen(b.connectionLimits.mqttConnectTimeout(), webSocketKeepOpen(b.connectionLimits)));
            this.httpsPort = bindHttps(b, serverCertificate);
            if (b.proxyPort >= 0) {
                this.proxy = new ConnectProxy(vertx, lowerCase(b.hostNames()), b.bindHost(), httpsPort, b.connectionLimits);
                this.proxyPort = bind("proxy", b.proxyPort, proxy.listen(b.bindHost(), b.proxyPort));
            } else {
                this.proxy = null;
                this.proxyPort = null;
            }
            this.inspector = b.inspectorPort < 0 ? null : startInspector(b, new Inspector.Core(registry, twins, queries,
                    mqtt, faults, directory.changes(), b.profile, throttles::counts));
        } catch (RuntimeException | Error e) {
            closeQuietly();
            throw e;
        } catch (ExecutionException e) {
            closeQuietly();
            throw new LocalHubException("could not seed the hub: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly();
            throw new LocalHubException("interrupted while starting", e);
        }
    }

    private Inspector startInspector(Builder b, Inspector.Core core) {
        String host = loopbackOrDefault(b.bindHost());
        try {
            return await(Inspector.start(vertx, host, b.inspectorPort, core));
        } catch (LocalHubException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")) {
                throw new PortInUseException("inspector", b.inspectorPort, cause);
            }
            throw new LocalHubException("cannot open the inspector port " + b.inspectorPort + ": " + cause.getMessage(),
                    cause);
        }
    }

    /**
     * The inspector listens on loopback only, whatever address the hub binds: the hub's own address when it is a
     * loopback one (tests use 127.x.y.z), else 127.0.0.1.
     */
    static String loopbackOrDefault(String bindHost) {
        try {
            if (bindHost != null && InetAddress.getByName(bindHost).isLoopbackAddress()
                    && !bindHost.equalsIgnoreCase("localhost")) {
                return bindHost;
            }
        } catch (UnknownHostException e) {
            // not an address: the default below
        }
        return "127.0.0.1";
    }

    private int bindHttps(Builder b, KeyCertOptions serverCertificate) {
        if (b.httpsPort != null) {
            return bind("HTTPS", b.httpsPort, listenHttps(b, b.httpsPort, serverCertificate));
        }
        try {
            return await(listenHttps(b, STANDARD_HTTPS_PORT, serverCertificate));
        } catch (RuntimeException e) {
            // 443 needs root (or CAP_NET_BIND_SERVICE) on Linux: serve on any port and reach it through the proxy
            return bind("HTTPS", 0, listenHttps(b, 0, serverCertificate));
        }
    }

    /** REST, and MQTT over WebSockets on the same port. */
    private Future<Integer> listenHttps(Builder b, int port, KeyCertOptions serverCertificate) {
        return https.listen(b.bindHost(), port, serverCertificate, b.connectionLimits, mqttOverWebSockets::accept,
                MqttOverWebSockets.MAX_FRAME_SIZE);
    }

    /**
     * How often an MQTT-over-WebSockets connection gets an empty frame: within half the shortest idle timeout it runs through
     * (the HTTPS port's, and the CONNECT proxy's when it comes that way), so neither cuts a device that is merely
     * quiet between keep-alives.
     */
    private static Duration webSocketKeepOpen(ConnectionLimits limits) {
        Duration shortest = limits.idleTimeout().compareTo(limits.tunnelIdleTimeout()) < 0
                ? limits.idleTimeout() : limits.tunnelIdleTimeout();
        return Duration.ofMillis(Math.max(50, shortest.toMillis() / 2));
    }

    private KeyCertOptions serverCertificate() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            certificates.serverKeyStore().store(bytes, certificates.keyStorePassword());
            return new KeyStoreOptions().setType("PKCS12").setValue(Buffer.buffer(bytes.toByteArray()))
                    .setPassword(new String(certificates.keyStorePassword()));
        } catch (IOException | GeneralSecurityException e) {
            throw new LocalHubException("cannot load the hub's server certificate: " + e.getMessage(), e);
        }
    }

    private static int bind(String what, int port, Future<Integer> listening) {
        try {
            return await(listening);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")) {
                throw new PortInUseException(what, port, cause);
            }
            throw new LocalHubException("cannot open the " + what + " port " + port + ": " + cause.getMessage(), cause);
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new LocalHubException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new LocalHubException("timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalHubException("interrupted", e);
        }
    }

    private static Set<String> lowerCase(Set<String> names) {
        Set<String> lower = new LinkedHashSet<>();
        names.forEach(n -> lower.add(n.toLowerCase(Locale.ROOT)));
        return lower;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The HostName of the connection strings: {@code 127.0.0.1} unless configured. */
    public String hostName() {
        return host;
    }

    public int mqttPort() {
        return mqttPort;
    }

    public int httpsPort() {
        return httpsPort;
    }

    /** True when HTTPS is on 443, so the service SDK reaches it without a proxy. */
    public boolean httpsOnStandardPort() {
        return httpsPort == STANDARD_HTTPS_PORT;
    }

    /**
     * The inspector's address with this start's secret ({@code http://127.0.0.1:{port}/?token=…}), when it runs: open
     * it in a browser to watch and change twins live. Whoever has it can change every twin; it is valid until the hub
     * stops.
     */
    public Optional<String> inspectorUrl() {
        return inspector == null ? Optional.empty() : Optional.of(inspector.url());
    }

    /** The HTTP CONNECT proxy that tunnels {@code host:443} to the hub, when it runs. */
    public Optional<InetSocketAddress> proxyAddress() {
        return proxyPort == null ? Optional.empty() : Optional.of(new InetSocketAddress(host, proxyPort));
    }

    /** How real this hub behaves: {@code local}, or the tier profile it was started with. */
    public HubProfile profile() {
        return profile;
    }

    /**
     * How many operations each throttle let through at once, held (traffic shaping) and refused with 429 since the hub
     * started; empty for the {@code local} profile, which does not throttle.
     */
    public Map<Operation, Throttles.Counts> throttleCounts() {
        return throttles.counts();
    }

    public Optional<Path> dataDirectory() {
        return dataDirectory;
    }

    public String ownerConnectionString() {
        return policyConnectionString("iothubowner");
    }

    /** The article's policy: ServiceConnect + RegistryRead. */
    public String serviceConnectionString() {
        return policyConnectionString(ARTICLE_POLICY);
    }

    public String policyConnectionString(String policyName) {
        SharedAccessPolicy policy = registry.policy(policyName).orElseThrow(
                () -> new IllegalArgumentException("no shared access policy named '" + policyName + "'"));
        return "HostName=" + host + ";SharedAccessKeyName=" + policy.name() + ";SharedAccessKey=" + policy.primaryKey();
    }

    /**
     * The device's connection string: with its primary key, or for a device that authenticates with an X.509
     * certificate, with {@code x509=true} (the device SDK then needs the certificate in its {@code ClientOptions}).
     */
    public String deviceConnectionString(String deviceId) {
        return connectionString(deviceId);
    }

    /**
     * The module's connection string ({@code HostName=…;DeviceId=…;ModuleId=…;SharedAccessKey=…}), for the device
     * SDK's {@code ModuleClient}; as {@link #deviceConnectionString} for a module with a certificate.
     */
    public String moduleConnectionString(String deviceId, String moduleId) {
        return connectionString(IdentityKey.of(deviceId, moduleId));
    }

    private String connectionString(String key) {
        var identity = registry.get(key).orElseThrow(
                () -> new IllegalArgumentException("no " + IdentityKey.describe(key) + " on this hub"));
        Authentication authentication = identity.authentication();
        if (authentication instanceof Authentication.None) {
            throw new IllegalArgumentException(
                    IdentityKey.describe(key) + " has authentication type none: it has no connection string");
        }
        String credential = authentication instanceof Authentication.SymmetricKey keys
                ? "SharedAccessKey=" + keys.primaryKey() : "x509=true";
        return "HostName=" + host + ";DeviceId=" + identity.deviceId()
                + (identity.isModule() ? ";ModuleId=" + identity.moduleId() : "") + ";" + credential;
    }

    public String caPem() {
        return certificates.caPem();
    }

    public Optional<Path> caPemFile() {
        return certificates.caPemFile();
    }

    public Optional<Path> trustStoreFile() {
        return certificates.trustStoreFile();
    }

    public char[] trustStorePassword() {
        return certificates.keyStorePassword().clone();
    }

    /** A TLS 1.2 context that trusts the hub's development CA only; for {@code ClientOptions.sslContext}. */
    public SSLContext clientSslContext() {
        return certificates.clientSslContext();
    }

    /**
     * A client certificate for {@code identityId} signed by the hub's development CA (EC P-256, subject CN = the id,
     * valid for a year): what a device (or, with {@code {deviceId}/{moduleId}}, a module) registered with
     * authentication type {@code certificateAuthority} connects with. The identity need not exist yet; each call makes
     * a new key. Hand it to the device SDK with {@link #deviceSslContext(DeviceCertificate)}.
     */
    public DeviceCertificate issueDeviceCertificate(String identityId) {
        return certificates.issueDeviceCertificate(identityId);
    }

    /**
     * A TLS 1.2 context that presents {@code credential} as the client certificate and trusts the hub's development CA;
     * for {@code ClientOptions.builder().sslContext(…)} with an {@code x509=true} connection string.
     */
    public SSLContext deviceSslContext(DeviceCertificate credential) {
        return credential.sslContext(DevelopmentCaTrust.fromPem(certificates.caPem()));
    }

    /**
     * Closes the device's current MQTT connection the way a network failure would: no MQTT goodbye, the socket just
     * ends. The device SDK then reconnects on its own (with CleanSession 0 its subscriptions are still there), so this
     * is how to try out an app's offline and reconnect handling without pulling a cable. Does nothing when the device
     * is not connected.
     */
    public void dropConnection(String deviceId) {
        faults.dropNow(deviceId, Duration.ZERO, false);
    }

    /**
     * Queues a cloud-to-device message for a device, as {@code POST /localhub/devices/{id}/messages/devicebound} does;
     * returns once it is committed. The device gets it over MQTT when it is connected and subscribed.
     *
     * @throws lab.devicetwins.localhub.errors.HubException with IoT Hub's error for an unknown device, a full queue or
     *                                                      a message IoT Hub would refuse
     */
    public CloudToDeviceMessage sendCloudToDeviceMessage(String deviceId, CloudToDeviceRequest request) {
        try {
            return cloudToDevice.send(deviceId, request).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * How many cloud-to-device messages wait in the device's queue (sent and not yet completed by the device, not
     * expired): for tests that need to know the device took a message before they go on.
     */
    public int queuedCloudToDeviceMessages(String deviceId) {
        return cloudToDevice.queued(deviceId);
    }

    /**
     * Drops the current MQTT connection of a device or (by key {@code {deviceId}/{moduleId}}) a module, as
     * {@link #dropConnection(String)}, and refuses its reconnects for {@code refuseFor} with "server unavailable",
     * which the SDKs retry: how to watch an app ride out an outage of that length.
     *
     * @return whether the identity was connected
     */
    public boolean dropConnection(String key, Duration refuseFor) {
        return faults.dropNow(key, refuseFor, false);
    }

    /** Stops listening, closes connections and the database. Safe to call more than once. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        List<Future<Void>> closing = new ArrayList<>();
        if (mqtt != null) {
            closing.add(mqtt.close());
        }
        if (https != null) {
            closing.add(https.close());
        }
        if (mqttOverWebSockets != null) {
            closing.add(mqttOverWebSockets.close());
        }
        if (proxy != null) {
            closing.add(proxy.close());
        }
        if (inspector != null) {
            closing.add(inspector.close());
        }
        try {
            Future.join(closing).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (jobs != null) {
            jobs.close();
        }
        if (methods != null) {
            methods.close();
        }
        if (faults != null) {
            faults.close();
        }
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // closing anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (directory != null) {
            directory.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /** Configures a hub; {@link #start()} binds its ports. */
    public static final class Builder {
        private Path dataDirectory;
        private boolean inMemory = true;
        /** The system property {@code localhub.host} moves every hub of a JVM (e.g. a test run) to another loopback address. */
        private String host = System.getProperty("localhub.host", "127.0.0.1");
        private String bindHost;
        private int mqttPort = STANDARD_MQTT_PORT;
        private Integer httpsPort;
        private int proxyPort = 0;
        private int inspectorPort = -1;
        private int eventLoops = Math.max(2, Runtime.getRuntime().availableProcessors());
        private List<SharedAccessPolicy> policies = SharedAccessPolicy.defaults();
        private List<String> seedDevices = List.of(DEFAULT_DEVICE_ID);
        private final Set<String> extraHostNames = new LinkedHashSet<>();
        private TwinLimits limits = TwinLimits.defaults();
        private ConnectionLimits connectionLimits = ConnectionLimits.defaults();
        private Clock clock = Clock.systemUTC();
        private Consumer<String> requestLog;
        private HubStore store;
        private final List<X509Certificate> trustedDeviceCas = new ArrayList<>();
        private Integer activeJobLimit;
        private HubProfile profile = HubProfile.local();

        private Builder() {
        }

        /**
         * Trust this CA for devices registered with authentication type {@code certificateAuthority}: a client
         * certificate whose chain leads to it, with the device id as subject CN, proves the device. The hub's own
         * development CA is always trusted. Unlike IoT Hub, no proof of possession of the CA's key is asked for.
         *
         * @throws IllegalArgumentException if it is not a CA certificate (basic constraints CA:true)
         */
        public Builder trustedDeviceCa(X509Certificate ca) {
            if (ca.getBasicConstraints() < 0) {
                throw new IllegalArgumentException("'" + ca.getSubjectX500Principal().getName()
                        + "' is not a CA certificate (its basic constraints do not say CA:true)");
            }
            trustedDeviceCas.add(ca);
            return this;
        }

        /**
         * As {@link #trustedDeviceCa(X509Certificate)}, for every certificate of a PEM file.
         *
         * @throws IllegalArgumentException if the file cannot be read or holds no CA certificate; the message names it
         */
        public Builder trustedDeviceCa(Path pem) {
            List<X509Certificate> cas;
            try {
                cas = DevelopmentCaTrust.fromPemFile(pem).certificates();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the device CA file " + pem + ": " + e.getMessage(), e);
            }
            for (X509Certificate ca : cas) {
                try {
                    trustedDeviceCa(ca);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(pem + ": " + e.getMessage(), e);
                }
            }
            return this;
        }

        /** Keep nothing: identities, twins and sessions live in memory and are gone when the hub stops. The default. */
        public Builder inMemory() {
            this.inMemory = true;
            return this;
        }

        /**
         * Keep identities, twins and sessions in {@code dir/hub.db}, and the development CA in {@code dir/tls}.
         * Combined with {@link #inMemory()} after it, only the certificates are kept.
         */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = dir;
            this.inMemory = false;
            return this;
        }

        /**
         * Keep identities, twins and sessions in this store instead of the one {@link #inMemory()} or
         * {@link #dataDirectory(Path)} choose (the data directory still holds the certificates). The hub closes it.
         * For tests that need, say, a store that fails on demand.
         */
        public Builder store(HubStore store) {
            this.store = store;
            return this;
        }

        /** The HostName of connection strings and certificates, also the address to bind; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Bind to another address than {@link #host(String)} (e.g. 0.0.0.0). */
        public Builder bindHost(String bindHost) {
            this.bindHost = bindHost;
            return this;
        }

        /** Another name clients may use (certificate SAN, accepted in SAS tokens). */
        public Builder alsoKnownAs(String hostName) {
            this.extraHostNames.add(hostName);
            return this;
        }

        /** Default 8883: the device SDK cannot use another port. 0 picks a free one (raw MQTT clients only). */
        public Builder mqttPort(int port) {
            this.mqttPort = port;
            return this;
        }

        /** Default: 443 when it can be bound, else a free port behind the proxy. 0 always picks a free port. */
        public Builder httpsPort(int port) {
            this.httpsPort = port;
            return this;
        }

        /** The HTTP CONNECT proxy port; 0 (default) picks a free one, -1 runs no proxy. */
        public Builder proxyPort(int port) {
            this.proxyPort = port;
            return this;
        }

        /**
         * The inspector's port (a web page to watch and change twins, on loopback only): 0 picks a free one, -1 (the
         * default for a hub built in code; {@code local-hub start} turns it on) runs none.
         */
        public Builder inspectorPort(int port) {
            this.inspectorPort = port;
            return this;
        }

        public Builder policies(List<SharedAccessPolicy> policies) {
            this.policies = List.copyOf(policies);
            return this;
        }

        /** Devices created (with well-known keys) when the hub starts on an empty database; default myDeviceId. */
        public Builder seedDevices(List<String> deviceIds) {
            this.seedDevices = List.copyOf(deviceIds);
            return this;
        }

        public Builder twinLimits(TwinLimits limits) {
            this.limits = limits;
            return this;
        }

        /**
         * Timeouts and connection caps of the ports ({@link ConnectionLimits} explains each value and its default); short
         * values let a test watch a silent connection being closed within seconds.
         */
        public Builder connectionLimits(ConnectionLimits limits) {
            this.connectionLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * How many jobs may be scheduled, enqueued or running at once; one more is refused with 429
         * ThrottlingMaxActiveJobCountExceeded. Default {@value ScheduledJobs#DEFAULT_ACTIVE_JOB_LIMIT}, IoT Hub's S3
         * limit (S1 allows 1, S2 5): set 1 to try out an app's handling of the limit.
         */
        public Builder activeJobLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("the active job limit is at least 1, not " + limit);
            }
            this.activeJobLimit = limit;
            return this;
        }

        /**
         * How real the hub behaves: {@link HubProfile#local()} (the default: instant, unthrottled, consistent) or an
         * IoT Hub tier's throttles, query lag, identity propagation and SAS expiry tolerance (see docs/local-hub.md,
         * "Realistic mode"). A tier profile also sets the tier's active job limit unless {@link #activeJobLimit} does.
         */
        public Builder profile(HubProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Writes one line per HTTPS request and per MQTT connect, refusal and disconnect to {@code sink} (method,
         * path, status, error code, duration, caller, reason; never a key, signature or token). Off by default.
         */
        public Builder requestLog(Consumer<String> sink) {
            this.requestLog = sink;
            return this;
        }

        public Builder eventLoops(int eventLoops) {
            this.eventLoops = eventLoops;
            return this;
        }

        int activeJobLimit() {
            if (activeJobLimit != null) {
                return activeJobLimit;
            }
            return profile.tier() == null ? ScheduledJobs.DEFAULT_ACTIVE_JOB_LIMIT : profile.tier().activeJobLimit();
        }

        String bindHost() {
            return bindHost == null ? host : bindHost;
        }

        Set<String> hostNames() {
            Set<String> names = new LinkedHashSet<>();
            names.add(host);
            names.add("localhost");
            names.add("127.0.0.1");
            names.addAll(extraHostNames);
            return names;
        }

        public LocalHub start() {
            return new LocalHub(this);
        }
    }
}
