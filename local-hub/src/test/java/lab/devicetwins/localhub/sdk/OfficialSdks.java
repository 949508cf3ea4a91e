package lab.devicetwins.localhub.sdk;

import com.azure.core.credential.AzureSasCredential;
import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.ProxySettings;
import com.microsoft.azure.sdk.iot.service.ProxyOptions;
import com.microsoft.azure.sdk.iot.service.methods.DirectMethodsClient;
import com.microsoft.azure.sdk.iot.service.methods.DirectMethodsClientOptions;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJobsClient;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJobsClientOptions;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.QueryClientOptions;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClientOptions;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinClientOptions;
import java.net.Proxy;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.LocalHub;

/**
 * The official SDK clients, set up against a local hub the way an application would: the device client trusts the
 * hub's CA through {@code ClientOptions.sslContext}; the service clients (which only use the JVM's default trust)
 * through the default HTTPS socket factory, and reach the hub through its CONNECT proxy when it is not on 443.
 */
public final class OfficialSdks {
    private final LocalHub hub;

    public OfficialSdks(LocalHub hub) {
        this.hub = hub;
        HttpsURLConnection.setDefaultSSLSocketFactory(hub.clientSslContext().getSocketFactory());
    }

    private ProxyOptions proxy() {
        if (hub.httpsOnStandardPort()) {
            return null;
        }
        return new ProxyOptions(new Proxy(Proxy.Type.HTTP, hub.proxyAddress().orElseThrow()));
    }

    public RegistryClient registry() {
        return registry(hub.ownerConnectionString());
    }

    public RegistryClient registry(String connectionString) {
        return new RegistryClient(connectionString, RegistryClientOptions.builder().proxyOptions(proxy()).build());
    }

    /**
     * A registry client that sends {@code sasToken} as it is with every request. The service SDK 2.1.9 reads
     * {@code SharedAccessSignature=} in a connection string but then signs with the (absent) key, so a ready-made
     * token reaches the hub only as an {@link AzureSasCredential}.
     */
    public RegistryClient registryWithToken(String sasToken) {
        return new RegistryClient(hub.hostName(), new AzureSasCredential(sasToken),
                RegistryClientOptions.builder().proxyOptions(proxy()).build());
    }

    /** A twin client that sends {@code sasToken} as it is; see {@link #registryWithToken(String)}. */
    public TwinClient twinsWithToken(String sasToken) {
        return new TwinClient(hub.hostName(), new AzureSasCredential(sasToken),
                TwinClientOptions.builder().proxyOptions(proxy()).build());
    }

    /** A query client that sends {@code sasToken} as it is; see {@link #registryWithToken(String)}. */
    public QueryClient queriesWithToken(String sasToken) {
        return new QueryClient(hub.hostName(), new AzureSasCredential(sasToken),
                QueryClientOptions.builder().proxyOptions(proxy()).build());
    }

    public TwinClient twins() {
        return twins(hub.ownerConnectionString());
    }

    public TwinClient twins(String connectionString) {
        return new TwinClient(connectionString, TwinClientOptions.builder().proxyOptions(proxy()).build());
    }

    /** A direct-methods client with no HTTP read timeout, as the SDK's own e2e tests configure it. */
    public DirectMethodsClient methods() {
        return new DirectMethodsClient(hub.ownerConnectionString(), DirectMethodsClientOptions.builder()
                .proxyOptions(proxy()).httpReadTimeoutSeconds(0).build());
    }

    /** A jobs client as the application's owner (RegistryRead + RegistryWrite are what jobs need). */
    public ScheduledJobsClient jobs() {
        return jobs(hub.ownerConnectionString());
    }

    public ScheduledJobsClient jobs(String connectionString) {
        return new ScheduledJobsClient(connectionString,
                ScheduledJobsClientOptions.builder().proxyOptions(proxy()).build());
    }

    public QueryClient queries() {
        return new QueryClient(hub.ownerConnectionString(), QueryClientOptions.builder().proxyOptions(proxy()).build());
    }

    /** A device client for a device of the hub, with its primary key. */
    public DeviceClient device(String deviceId) {
        return deviceWithConnectionString(hub.deviceConnectionString(deviceId));
    }

    /** A module client (MQTT) for a module of the hub, with the module's primary key. */
    public ModuleClient module(String deviceId, String moduleId) {
        return moduleWithConnectionString(hub.moduleConnectionString(deviceId, moduleId), ClientOptions.builder());
    }

    public ModuleClient moduleWithConnectionString(String connectionString, ClientOptions.ClientOptionsBuilder options) {
        return new ModuleClient(connectionString, IotHubClientProtocol.MQTT,
                options.sslContext(hub.clientSslContext()).build());
    }

    /**
     * A device client for MQTT over WebSockets, which always dials port 443: straight to the hub when it has 443,
     * else through the hub's CONNECT proxy, as {@code ProxySettings}.
     */
    public DeviceClient deviceOverWebSockets(String deviceId) {
        return deviceOverWebSockets(hub.deviceConnectionString(deviceId), hub.clientSslContext());
    }

    /** As {@link #deviceOverWebSockets(String)}, with TLS as {@code tls} says (e.g. presenting a certificate). */
    public DeviceClient deviceOverWebSockets(String connectionString, SSLContext tls) {
        ClientOptions.ClientOptionsBuilder options = ClientOptions.builder().sslContext(tls);
        if (!hub.httpsOnStandardPort()) {
            options.proxySettings(new ProxySettings(new Proxy(Proxy.Type.HTTP, hub.proxyAddress().orElseThrow())));
        }
        return new DeviceClient(connectionString, IotHubClientProtocol.MQTT_WS, options.build());
    }

    public DeviceClient deviceWithConnectionString(String connectionString) {
        return deviceWithConnectionString(connectionString, ClientOptions.builder());
    }

    public DeviceClient deviceWithConnectionString(String connectionString, ClientOptions.ClientOptionsBuilder options) {
        return new DeviceClient(connectionString, IotHubClientProtocol.MQTT,
                options.sslContext(hub.clientSslContext()).build());
    }
}
