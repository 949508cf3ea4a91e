package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.ProxySettings;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.methods.DirectMethodRequestOptions;
import com.microsoft.azure.sdk.iot.service.auth.AuthenticationType;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceConnectionState;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.net.Proxy;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.sdk.TestCertificates;
import lab.devicetwins.localhub.sdk.TestCertificates.Issued;
import lab.devicetwins.localhub.tls.DeviceCertificate;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The device SDK with {@code IotHubClientProtocol.MQTT_WS} against the local hub: the WebSocket on the REST port
 * carries the same MQTT as port 8883 (twins, methods, authentication, connection state), and REST keeps working on
 * that port. The hub takes 443 where it may; elsewhere the device reaches it through the hub's CONNECT proxy.
 */
class MqttOverWebSocketsTest {

    @RegisterExtension
    static LocalHubExtension localHub = new LocalHubExtension();

    private OfficialSdks sdks;
    private String deviceId;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void registerDevice(TestInfo test) throws Exception {
        sdks = new OfficialSdks(localHub.hub());
        deviceId = "ws-" + Integer.toHexString(test.getTestMethod().orElseThrow().getName().hashCode());
        sdks.registry().addDevice(new Device(deviceId));
    }

    @AfterEach
    void removeDevice() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        sdks.registry().removeDevice(deviceId);
    }

    private DeviceClient openOverWebSockets() throws Exception {
        DeviceClient device = sdks.deviceOverWebSockets(deviceId);
        clients.add(device::close);
        device.open(false);
        return device;
    }

    @Test
    void a_device_over_websockets_gets_its_twin_reports_and_hears_desired_changes() throws Exception {
        DeviceClient device = openOverWebSockets();
        List<TwinCollection> desired = new CopyOnWriteArrayList<>();
        device.subscribeToDesiredProperties((twin, ctx) -> desired.add(twin.getDesiredProperties()), null);
        TwinCollection reported = new TwinCollection();
        reported.put("connectivityType", "websocket");

        int reportedVersion = DeviceTwinRequests.updateReportedProperties(device, reported);
        TwinClient twins = sdks.twins();
        var serviceTwin = twins.get(deviceId);
        serviceTwin.getDesiredProperties().put("telemetryInterval", 30);
        twins.patch(serviceTwin);

        assertThat(reportedVersion).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> !desired.isEmpty());
        assertThat(desired.get(0)).containsEntry("telemetryInterval", 30L);
        assertThat(desired.get(0).getVersion()).isEqualTo(2);
        Twin twin = DeviceTwinRequests.getTwin(device);
        assertThat(twin.getReportedProperties()).containsEntry("connectivityType", "websocket");
        assertThat(twin.getDesiredProperties()).containsEntry("telemetryInterval", 30L);
    }

    @Test
    void a_direct_method_reaches_a_device_over_websockets_and_its_answer_comes_back() throws Exception {
        DeviceClient device = openOverWebSockets();
        device.subscribeToMethods((name, payload, ctx) ->
                new DirectMethodResponse(201, Map.of("method", name, "echo", payload.getPayloadAsJsonElement())), null);

        var response = sdks.methods().invoke(deviceId, "reboot", DirectMethodRequestOptions.builder()
                .payload(Map.of("delay", 5)).methodResponseTimeoutSeconds(30).methodConnectTimeoutSeconds(0).build());

        assertThat(response.getStatus()).isEqualTo(201);
        var answer = response.getPayloadAsJsonElement().getAsJsonObject();
        assertThat(answer.get("method").getAsString()).isEqualTo("reboot");
        assertThat(answer.getAsJsonObject("echo").get("delay").getAsInt()).isEqualTo(5);
    }

    @Test
    void the_registry_shows_a_device_over_websockets_connected_and_rest_answers_on_the_same_port() throws Exception {
        DeviceClient device = openOverWebSockets();

        assertThat(sdks.registry().getDevice(deviceId).getConnectionState()).isEqualTo(DeviceConnectionState.Connected);
        assertThat(sdks.twins().get(deviceId).getDeviceId()).isEqualTo(deviceId);
        device.close();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                sdks.registry().getDevice(deviceId).getConnectionState() == DeviceConnectionState.Disconnected);
    }

    @Test
    void a_wrong_key_over_websockets_fails_the_open_with_an_authentication_error() throws Exception {
        byte[] wrongKey = new byte[32];
        new SecureRandom().nextBytes(wrongKey);
        LocalHub hub = localHub.hub();
        DeviceClient device = sdks.deviceOverWebSockets("HostName=" + hub.hostName() + ";DeviceId=" + deviceId
                + ";SharedAccessKey=" + Base64.getEncoder().encodeToString(wrongKey), hub.clientSslContext());

        IotHubClientException error = catchThrowableOfType(IotHubClientException.class, () -> device.open(false));

        assertThat(error).isNotNull();
        assertThat(error.getStatusCode()).isEqualTo(IotHubStatusCode.UNAUTHORIZED);
        assertThat(error.isRetryable()).isFalse();
        assertThat(sdks.registry().getDevice(deviceId).getConnectionState()).isEqualTo(DeviceConnectionState.Disconnected);
    }

    @Test
    void a_session_begun_over_websockets_is_found_over_8883_with_its_desired_subscription() throws Exception {
        DeviceClient overWebSockets = openOverWebSockets();
        overWebSockets.subscribeToDesiredProperties((twin, ctx) -> { }, null);
        DeviceTwinRequests.getTwin(overWebSockets);
        overWebSockets.close();
        RawMqttDevice overTcp = new RawMqttDevice(localHub.hub(), deviceId);
        clients.add(overTcp);

        boolean sessionPresent = overTcp.connect(false);
        setDesired("fromService", 1);

        assertThat(sessionPresent).isTrue();
        RawMqttDevice.Received notification = overTcp.next();
        assertThat(notification.topic()).startsWith("$iothub/twin/PATCH/properties/desired/");
        assertThat(notification.payload()).contains("\"fromService\":1");
    }

    @Test
    void a_session_begun_over_8883_is_found_over_websockets_with_its_desired_subscription() throws Exception {
        LocalHub hub = localHub.hub();
        assumeTrue(hub.httpsOnStandardPort(), "Paho alone reaches the WebSocket only on 443; the other way round is"
                + " covered without it");
        DeviceClient overTcp = sdks.device(deviceId);
        overTcp.open(false);
        overTcp.subscribeToDesiredProperties((twin, ctx) -> { }, null);
        DeviceTwinRequests.getTwin(overTcp);
        overTcp.close();
        RawMqttDevice overWebSockets = new RawMqttDevice(hub, deviceId,
                "wss://" + hub.hostName() + ":443/$iothub/websocket?iothub-no-client-cert=true");
        clients.add(overWebSockets);

        boolean sessionPresent = overWebSockets.connect(false);
        setDesired("fromService", 2);

        assertThat(sessionPresent).isTrue();
        assertThat(overWebSockets.next().payload()).contains("\"fromService\":2");
    }

    private void setDesired(String name, int value) throws Exception {
        TwinClient twins = sdks.twins();
        var twin = twins.get(deviceId);
        twin.getDesiredProperties().put(name, value);
        twins.patch(twin);
    }

    @Test
    void a_self_signed_x509_device_connects_over_websockets_with_its_certificate() throws Exception {
        Issued certificate = TestCertificates.selfSigned();
        String x509Id = deviceId + "-x509";
        Device registered = new Device(x509Id, AuthenticationType.SELF_SIGNED);
        String thumbprint = TestCertificates.sha1(certificate.certificate());
        registered.setThumbprint(thumbprint, thumbprint);
        sdks.registry().addDevice(registered);
        try {
            DeviceClient device = x509OverWebSockets(x509Id, certificate);
            device.open(false);
            clients.add(0, device::close);

            assertThat(sdks.registry().getDevice(x509Id).getConnectionState())
                    .isEqualTo(DeviceConnectionState.Connected);
        } finally {
            clients.add(() -> sdks.registry().removeDevice(x509Id));
        }
    }

    @Test
    void an_x509_device_with_another_certificate_is_refused_over_websockets() throws Exception {
        Issued certificate = TestCertificates.selfSigned();
        String x509Id = deviceId + "-x509";
        Device registered = new Device(x509Id, AuthenticationType.SELF_SIGNED);
        String thumbprint = TestCertificates.sha1(TestCertificates.selfSigned().certificate());
        registered.setThumbprint(thumbprint, thumbprint);
        sdks.registry().addDevice(registered);
        clients.add(() -> sdks.registry().removeDevice(x509Id));
        DeviceClient device = x509OverWebSockets(x509Id, certificate);

        IotHubClientException error = catchThrowableOfType(IotHubClientException.class, () -> device.open(false));

        assertThat(error).isNotNull();
        assertThat(error.getStatusCode()).isEqualTo(IotHubStatusCode.UNAUTHORIZED);
    }

    private DeviceClient x509OverWebSockets(String x509Id, Issued certificate) {
        LocalHub hub = localHub.hub();
        SSLContext tls = hub.deviceSslContext(new DeviceCertificate(certificate.key(), List.of(certificate.certificate())));
        return sdks.deviceOverWebSockets("HostName=" + hub.hostName() + ";DeviceId=" + x509Id + ";x509=true",
                tls);
    }

    @Test
    void a_device_reaches_the_hub_through_an_ordinary_http_proxy_in_its_proxy_settings() throws Exception {
        LocalHub hub = localHub.hub();
        assumeTrue(hub.httpsOnStandardPort(), "a proxy that knows nothing of the hub needs the hub on 443; the hub's"
                + " own proxy is covered in MqttOverWebSocketsThroughProxyTest");
        try (TunnellingHttpProxy proxy = new TunnellingHttpProxy(hub.hostName())) {
            DeviceClient device = new DeviceClient(hub.deviceConnectionString(deviceId), IotHubClientProtocol.MQTT_WS,
                    ClientOptions.builder().sslContext(hub.clientSslContext())
                            .proxySettings(new ProxySettings(new Proxy(Proxy.Type.HTTP, proxy.address()))).build());
            device.open(false);
            try {
                device.subscribeToDesiredProperties((twin, ctx) -> { }, null);

                assertThat(DeviceTwinRequests.getTwin(device).getDesiredProperties().getVersion()).isEqualTo(1);
                assertThat(proxy.requestHeads()).first().asString()
                        .startsWith("CONNECT " + hub.hostName() + ":443 HTTP/1.1\r\n");
            } finally {
                device.close();
            }
        }
    }

    @Test
    void a_device_that_reported_over_8883_reads_the_same_twin_over_websockets() throws Exception {
        DeviceClient overTcp = sdks.device(deviceId);
        overTcp.open(false);
        overTcp.subscribeToDesiredProperties((twin, ctx) -> { }, null);
        TwinCollection reported = new TwinCollection();
        reported.put("firstTransport", IotHubClientProtocol.MQTT.name());
        DeviceTwinRequests.updateReportedProperties(overTcp, reported);
        overTcp.close();

        DeviceClient overWebSockets = openOverWebSockets();
        overWebSockets.subscribeToDesiredProperties((twin, ctx) -> { }, null);

        assertThat(DeviceTwinRequests.getTwin(overWebSockets).getReportedProperties())
                .containsEntry("firstTransport", "MQTT");
    }
}
