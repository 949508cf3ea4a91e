package lab.devicetwins.tutorial.exercise;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.DesiredPropertiesCallback;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;

import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import lab.devicetwins.tutorial.shared.TargetHub;

/**
 * What an exercise test needs around a local hub: the SDK clients set up as the tutorial apps set them up
 * (through {@link TargetHub}), devices with unique ids, and device connections that are closed afterwards.
 */
public final class ExerciseHub implements AutoCloseable {

    /** A bounded wait for the subscription, rather than the SDK's default timeout. */
    private static final int TWIN_TIMEOUT_MILLIS = 10_000;

    private final LocalHub hub;
    private final TargetHub target;
    private final List<DeviceClient> openDevices = new CopyOnWriteArrayList<>();

    private ExerciseHub(LocalHub hub) {
        this.hub = hub;
        this.target = TargetHub.of(hub, new PrintStream(OutputStream.nullOutputStream()));
    }

    public static ExerciseHub of(LocalHub hub) {
        return new ExerciseHub(hub);
    }

    public TargetHub target() {
        return target;
    }

    /** A twin client with the article's policy (ServiceConnect + RegistryRead), as the service app uses. */
    public TwinClient twins() {
        return new TwinClient(target.serviceConnectionString(), target.twinClientOptions());
    }

    public QueryClient queries() {
        return new QueryClient(target.serviceConnectionString(), target.queryClientOptions());
    }

    public RegistryClient registry() {
        return new RegistryClient(target.registryConnectionString(), target.registryClientOptions());
    }

    /** Registers a device whose id starts with {@code prefix} and is unique on this hub. */
    public String newDevice(String prefix) throws Exception {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        registry().addDevice(new Device(id));
        return id;
    }

    /** A device client for the device, not yet open; closed by {@link #close()}. */
    public DeviceClient device(String deviceId) {
        DeviceClient client = new DeviceClient(hub.deviceConnectionString(deviceId), IotHubClientProtocol.MQTT,
                target.deviceClientOptions());
        openDevices.add(client);
        return client;
    }

    /**
     * A device client that is connected and subscribed to desired properties (the SDK refuses {@code getTwin}
     * before that), ignoring the notifications; closed by {@link #close()}.
     */
    public DeviceClient openDevice(String deviceId) throws IotHubClientException, InterruptedException {
        return openDevice(deviceId, (update, context) -> { });
    }

    /** A device client that is connected and passes desired-property notifications to {@code callback}. */
    public DeviceClient openDevice(String deviceId, DesiredPropertiesCallback callback)
            throws IotHubClientException, InterruptedException {
        DeviceClient client = device(deviceId);
        client.open(false);
        client.subscribeToDesiredProperties(callback, null, TWIN_TIMEOUT_MILLIS);
        return client;
    }

    /** Reports the given properties as the device, once, without a version. */
    public void report(String deviceId, TwinCollection reported) throws Exception {
        DeviceClient client = openDevice(deviceId);
        try {
            updateReported(client, reported);
        } finally {
            client.close();
            openDevices.remove(client);
        }
    }

    /**
     * Sends a reported patch without a {@code $version}; when the SDK loses the answer, finds out whether it landed
     * before sending it again ({@link DeviceTwinRequests}). Returns the reported {@code $version} the hub answered with.
     */
    public static int updateReported(DeviceClient client, TwinCollection reported)
            throws IotHubClientException, InterruptedException {
        return DeviceTwinRequests.updateReportedProperties(client, reported);
    }

    /** The device's view of its twin, asked again when the SDK loses the answer ({@link DeviceTwinRequests}). */
    public static Twin getTwin(DeviceClient client) throws IotHubClientException, InterruptedException {
        return DeviceTwinRequests.getTwin(client);
    }

    @Override
    public void close() {
        for (DeviceClient client : openDevices) {
            client.close();
        }
        openDevices.clear();
    }
}
