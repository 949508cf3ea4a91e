package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.auth.AuthenticationType;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceConnectionState;
import com.microsoft.azure.sdk.iot.service.registry.Module;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.auth.SasToken;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.mqtt.RawMqttSocket;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.TestCertificates;
import lab.devicetwins.localhub.sdk.TestCertificates.Issued;
import lab.devicetwins.localhub.tls.DeviceCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * X.509 devices through the unmodified device SDK 2.5.0 over MQTT ({@code x509=true}, the certificate in
 * {@code ClientOptions.sslContext}), as contract §12 describes: self-signed certificates named by thumbprint, CA-signed
 * ones with the device id as CN, and every refusal as CONNACK 5, seen by the SDK and on the wire; modules through
 * {@code ModuleClient} the same way, with {@code {deviceId}/{moduleId}} as CN.
 */
class X509DeviceOverMqttTest {
    private static final int CONNACK_ACCEPTED = 0;
    private static final int CONNACK_NOT_AUTHORIZED = 5;
    /** Like the SDK e2e certificate: no CN, valid from a day ago for two hours. */
    private static final Issued E2E_CERT = TestCertificates.selfSigned();
    private static final Issued OTHER_CERT = TestCertificates.selfSigned();
    private static final Issued REGISTERED_CA = TestCertificates.certificateAuthority("CA registered with the builder");
    private static final Issued UNREGISTERED_CA = TestCertificates.certificateAuthority("CA nobody registered");

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0)
            .trustedDeviceCa(REGISTERED_CA.certificate()));

    private LocalHub hub;
    private OfficialSdks sdks;
    private RegistryClient registry;
    private final List<String> devices = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clients() {
        hub = localHub.hub();
        sdks = new OfficialSdks(hub);
        registry = sdks.registry();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable client : opened) {
            client.close();
        }
        for (String deviceId : devices) {
            registry.removeDevice(deviceId);
        }
    }

    private String selfSignedDevice(String primary, String secondary) throws Exception {
        String deviceId = "x509-" + UUID.randomUUID();
        Device device = new Device(deviceId, AuthenticationType.SELF_SIGNED);
        device.setThumbprint(primary, secondary);
        registry.addDevice(device);
        devices.add(deviceId);
        return deviceId;
    }

    private String caSignedDevice() throws Exception {
        String deviceId = "x509-ca-" + UUID.randomUUID();
        registry.addDevice(new Device(deviceId, AuthenticationType.CERTIFICATE_AUTHORITY));
        devices.add(deviceId);
        return deviceId;
    }

    private String sasDevice() throws Exception {
        String deviceId = "sas-" + UUID.randomUUID();
        registry.addDevice(new Device(deviceId));
        devices.add(deviceId);
        return deviceId;
    }

    private SSLContext presenting(Issued cert, Issued... chainAbove) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert.certificate());
        for (Issued issuer : chainAbove) {
            chain.add(issuer.certificate());
        }
        return hub.deviceSslContext(new DeviceCertificate(cert.key(), chain));
    }

    private DeviceClient x509Client(String deviceId, SSLContext tls) {
        DeviceClient client = new DeviceClient("HostName=" + hub.hostName() + ";DeviceId=" + deviceId + ";x509=true",
                IotHubClientProtocol.MQTT, ClientOptions.builder().sslContext(tls).build());
        opened.add(client::close);
        return client;
    }

    private DeviceClient openX509(String deviceId, SSLContext tls) throws Exception {
        DeviceClient client = x509Client(deviceId, tls);
        client.open(false);
        return client;
    }

    private void assertSdkRefuses(DeviceClient client) {
        IotHubClientException error = catchThrowableOfType(IotHubClientException.class, () -> client.open(false));

        assertThat(error).as("the SDK's open must fail").isNotNull();
        assertThat(error.getStatusCode()).isEqualTo(IotHubStatusCode.UNAUTHORIZED);
        assertThat(error.isRetryable()).isFalse();
    }

    private int rawConnack(String deviceId, SSLContext tls, String password) throws IOException {
        try (RawMqttSocket socket = RawMqttSocket.open(hub, tls)) {
            return socket.connect(hub, deviceId, password, 60);
        }
    }

    private String ownerToken(String deviceId) {
        String cs = hub.ownerConnectionString();
        String key = cs.substring(cs.indexOf("SharedAccessKey=") + "SharedAccessKey=".length());
        return SasToken.create(hub.hostName() + "/devices/" + deviceId, key, "iothubowner",
                Instant.now().plus(Duration.ofHours(1)));
    }

    @Test
    void a_self_signed_device_without_a_cn_connects_with_the_certificate_of_its_primary_thumbprint() throws Exception {
        String deviceId = selfSignedDevice(TestCertificates.sha1(E2E_CERT.certificate()),
                TestCertificates.sha1(OTHER_CERT.certificate()));

        openX509(deviceId, presenting(E2E_CERT));

        assertThat(registry.getDevice(deviceId).getConnectionState()).isEqualTo(DeviceConnectionState.Connected);
    }

    @Test
    void the_certificate_of_the_secondary_thumbprint_connects_too() throws Exception {
        String deviceId = selfSignedDevice(TestCertificates.sha1(OTHER_CERT.certificate()),
                TestCertificates.sha1(E2E_CERT.certificate()));

        openX509(deviceId, presenting(E2E_CERT));

        assertThat(rawConnack(deviceId, presenting(OTHER_CERT), null)).isEqualTo(CONNACK_ACCEPTED);
    }

    @Test
    void an_upper_case_sha256_thumbprint_names_the_certificate() throws Exception {
        String sha256 = TestCertificates.sha256(E2E_CERT.certificate()).toUpperCase(Locale.ROOT);
        String deviceId = selfSignedDevice(sha256, sha256);

        openX509(deviceId, presenting(E2E_CERT));
    }

    @Test
    void two_devices_registered_with_one_thumbprint_both_connect_with_that_certificate_at_once() throws Exception {
        String thumbprint = TestCertificates.sha1(E2E_CERT.certificate());
        String first = selfSignedDevice(thumbprint, thumbprint);
        String second = selfSignedDevice(thumbprint, thumbprint);

        openX509(first, presenting(E2E_CERT));
        openX509(second, presenting(E2E_CERT));

        assertThat(registry.getDevice(first).getConnectionState()).isEqualTo(DeviceConnectionState.Connected);
        assertThat(registry.getDevice(second).getConnectionState()).isEqualTo(DeviceConnectionState.Connected);
    }

    @Test
    void a_ca_signed_device_connects_with_a_certificate_the_development_ca_issued_for_it() throws Exception {
        String deviceId = caSignedDevice();

        openX509(deviceId, hub.deviceSslContext(hub.issueDeviceCertificate(deviceId)));

        assertThat(registry.getDevice(deviceId).getConnectionState()).isEqualTo(DeviceConnectionState.Connected);
    }

    @Test
    void a_ca_signed_device_connects_with_a_certificate_of_a_ca_registered_with_the_builder() throws Exception {
        String deviceId = caSignedDevice();
        Issued leaf = TestCertificates.signedBy(REGISTERED_CA, "CN=" + deviceId);

        openX509(deviceId, presenting(leaf));
    }

    @Test
    void a_wrong_certificate_is_refused_with_connack_5() throws Exception {
        String deviceId = selfSignedDevice(TestCertificates.sha1(OTHER_CERT.certificate()), null);

        assertSdkRefuses(x509Client(deviceId, presenting(E2E_CERT)));
        assertThat(rawConnack(deviceId, presenting(E2E_CERT), null)).isEqualTo(CONNACK_NOT_AUTHORIZED);
        assertThat(registry.getDevice(deviceId).getConnectionState()).isEqualTo(DeviceConnectionState.Disconnected);
    }

    @Test
    void an_expired_certificate_is_refused_even_with_the_registered_thumbprint() throws Exception {
        Instant now = Instant.now();
        Issued expired = TestCertificates.selfSigned(TestCertificates.E2E_SUBJECT, now.minus(Duration.ofDays(2)),
                now.minus(Duration.ofHours(1)));
        String deviceId = selfSignedDevice(TestCertificates.sha1(expired.certificate()), null);

        assertSdkRefuses(x509Client(deviceId, presenting(expired)));
        assertThat(rawConnack(deviceId, presenting(expired), null)).isEqualTo(CONNACK_NOT_AUTHORIZED);
    }

    @Test
    void a_ca_signed_certificate_whose_cn_is_another_device_is_refused() throws Exception {
        String deviceId = caSignedDevice();
        DeviceCertificate forAnother = hub.issueDeviceCertificate(deviceId + "-other");

        assertSdkRefuses(x509Client(deviceId, hub.deviceSslContext(forAnother)));
        assertThat(rawConnack(deviceId, hub.deviceSslContext(forAnother), null)).isEqualTo(CONNACK_NOT_AUTHORIZED);
    }

    @Test
    void a_certificate_of_an_unregistered_ca_is_refused_even_when_the_chain_carries_that_ca() throws Exception {
        String deviceId = caSignedDevice();
        Issued leaf = TestCertificates.signedBy(UNREGISTERED_CA, "CN=" + deviceId);

        assertSdkRefuses(x509Client(deviceId, presenting(leaf, UNREGISTERED_CA)));
        assertThat(rawConnack(deviceId, presenting(leaf, UNREGISTERED_CA), null)).isEqualTo(CONNACK_NOT_AUTHORIZED);
    }

    @Test
    void a_sas_device_presenting_only_a_certificate_is_refused() throws Exception {
        String deviceId = sasDevice();
        SSLContext certificate = hub.deviceSslContext(hub.issueDeviceCertificate(deviceId));

        assertSdkRefuses(x509Client(deviceId, certificate));
        assertThat(rawConnack(deviceId, certificate, null)).isEqualTo(CONNACK_NOT_AUTHORIZED);
        // its SAS token still works over a TLS session that carries a client certificate
        assertThat(rawConnack(deviceId, certificate, ownerToken(deviceId))).isEqualTo(CONNACK_ACCEPTED);
    }

    @Test
    void an_x509_device_with_only_a_sas_token_is_refused_though_the_token_would_let_a_sas_device_in() throws Exception {
        String deviceId = caSignedDevice();
        String sasDeviceId = sasDevice();
        DeviceClient withToken = sdks.deviceWithConnectionString("HostName=" + hub.hostName() + ";DeviceId=" + deviceId
                + ";SharedAccessSignature=" + ownerToken(deviceId));
        opened.add(withToken::close);

        assertSdkRefuses(withToken);
        assertThat(rawConnack(deviceId, hub.clientSslContext(), ownerToken(deviceId))).isEqualTo(CONNACK_NOT_AUTHORIZED);
        assertThat(rawConnack(sasDeviceId, hub.clientSslContext(), ownerToken(sasDeviceId))).isEqualTo(CONNACK_ACCEPTED);
    }

    @Test
    void a_password_from_an_x509_device_is_ignored_the_certificate_decides() throws Exception {
        String deviceId = caSignedDevice();
        SSLContext right = hub.deviceSslContext(hub.issueDeviceCertificate(deviceId));
        SSLContext wrong = hub.deviceSslContext(hub.issueDeviceCertificate("someone-else"));

        assertThat(rawConnack(deviceId, right, "not a token")).isEqualTo(CONNACK_ACCEPTED);
        assertThat(rawConnack(deviceId, wrong, ownerToken(deviceId))).isEqualTo(CONNACK_NOT_AUTHORIZED);
    }

    @Test
    void the_hub_closes_a_certificate_connection_when_the_certificate_expires() throws Exception {
        Instant now = Instant.now();
        Issued shortLived = TestCertificates.selfSigned(TestCertificates.E2E_SUBJECT, now.minus(Duration.ofHours(1)),
                now.plusSeconds(3));
        String deviceId = selfSignedDevice(TestCertificates.sha1(shortLived.certificate()), null);

        try (RawMqttSocket socket = RawMqttSocket.open(hub, presenting(shortLived))) {
            assertThat(socket.connect(hub, deviceId, null, 60)).isEqualTo(CONNACK_ACCEPTED);

            RawMqttSocket.Ending ending = socket.readUntilClosed();

            assertThat(ending.closedByHub()).as("closed within " + RawMqttSocket.READ_BOUND).isTrue();
        }
        assertThat(Instant.now()).isAfterOrEqualTo(shortLived.certificate().getNotAfter().toInstant());
    }

    @Test
    void new_thumbprints_end_the_connection_of_the_old_certificate() throws Exception {
        String deviceId = selfSignedDevice(TestCertificates.sha1(E2E_CERT.certificate()), null);

        try (RawMqttSocket socket = RawMqttSocket.open(hub, presenting(E2E_CERT))) {
            assertThat(socket.connect(hub, deviceId, null, 60)).isEqualTo(CONNACK_ACCEPTED);
            Device device = registry.getDevice(deviceId);
            device.setThumbprint(TestCertificates.sha1(OTHER_CERT.certificate()), null);
            registry.updateDevice(device);

            assertThat(socket.readUntilClosed().closedByHub()).isTrue();
        }
        assertThat(rawConnack(deviceId, presenting(E2E_CERT), null)).isEqualTo(CONNACK_NOT_AUTHORIZED);
    }

    @Test
    void a_certificate_device_gets_its_twin_reports_and_hears_desired_changes() throws Exception {
        String deviceId = caSignedDevice();
        DeviceClient device = openX509(deviceId, hub.deviceSslContext(hub.issueDeviceCertificate(deviceId)));
        List<TwinCollection> desired = new CopyOnWriteArrayList<>();
        device.subscribeToDesiredProperties((twin, ctx) -> desired.add(twin.getDesiredProperties()), null);
        TwinCollection reported = new TwinCollection();
        reported.put("firmware", "1.2.3");

        DeviceTwinRequests.updateReportedProperties(device, reported);
        Twin twin = DeviceTwinRequests.getTwin(device);
        TwinClient twins = sdks.twins();
        var serviceTwin = twins.get(deviceId);
        serviceTwin.getDesiredProperties().put("interval", 30);
        twins.patch(serviceTwin);

        assertThat(twin.getReportedProperties()).containsEntry("firmware", "1.2.3");
        await().atMost(Duration.ofSeconds(10)).until(() -> !desired.isEmpty());
        assertThat(desired.get(0)).containsEntry("interval", 30L);
        assertThat(twins.get(deviceId).getReportedProperties().get("firmware")).isEqualTo("1.2.3");
    }

    @Test
    void an_x509_module_connects_with_module_client_by_thumbprint_or_by_a_ca_certificate_whose_cn_is_device_slash_module()
            throws Exception {
        String deviceId = sasDevice();
        Module selfSigned = new Module(deviceId, "filter", AuthenticationType.SELF_SIGNED);
        selfSigned.setThumbprint(TestCertificates.sha1(E2E_CERT.certificate()), null);
        registry.addModule(selfSigned);
        registry.addModule(new Module(deviceId, "logger", AuthenticationType.CERTIFICATE_AUTHORITY));
        String moduleString = "HostName=" + hub.hostName() + ";DeviceId=" + deviceId + ";ModuleId=%s;x509=true";

        ModuleClient filter = new ModuleClient(String.format(moduleString, "filter"), IotHubClientProtocol.MQTT,
                ClientOptions.builder().sslContext(presenting(E2E_CERT)).build());
        opened.add(filter::close);
        filter.open(false);
        ModuleClient logger = new ModuleClient(String.format(moduleString, "logger"), IotHubClientProtocol.MQTT,
                ClientOptions.builder().sslContext(hub.deviceSslContext(hub.issueDeviceCertificate(deviceId + "/logger")))
                        .build());
        opened.add(logger::close);
        logger.open(false);

        SSLContext deviceCertificate = hub.deviceSslContext(hub.issueDeviceCertificate(deviceId));
        assertThat(rawConnack(deviceId + "/logger", deviceCertificate, null)).isEqualTo(CONNACK_NOT_AUTHORIZED);
        assertThat(String.valueOf(sdks.twins().get(deviceId, "filter").getConnectionState()))
                .isEqualToIgnoringCase("Connected");
    }
}
