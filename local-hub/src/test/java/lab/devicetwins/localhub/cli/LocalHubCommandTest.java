package lab.devicetwins.localhub.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.service.auth.AuthenticationType;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubTooManyRequestsException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceConnectionState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.mqtt.RawMqttSocket;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.localhub.realism.Tier;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.TestCertificates.Issued;
import lab.devicetwins.localhub.sdk.TestCertificates;
import lab.devicetwins.localhub.tls.DeviceCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Commands run in this JVM: {@code device-cert} writes files a device connects with, {@code start --device-ca}
 * trusts another CA for devices, and {@code drop-connection} reaches the running hub through its hub.env.
 * {@code LocalHubCommandIT} runs the jar as a process.
 */
class LocalHubCommandTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path out;

    /** Runs the command line; what it prints to standard error goes into {@code errors}. */
    private static int run(StringBuilder errors, String... arguments) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new LocalHubCommand()).execute(arguments);
        } finally {
            System.setErr(original);
            errors.append(captured.toString(StandardCharsets.UTF_8));
        }
    }

    /** A hub on the command's data directory: the same development CA, identities in memory. */
    private LocalHub hubOn(String... startArguments) {
        CommandLine command = new CommandLine(new LocalHubCommand());
        String[] arguments = new String[startArguments.length + 6];
        System.arraycopy(new String[] {"start", "--data-dir", dataDir.toString(), "--in-memory", "--https-port", "0"},
                0, arguments, 0, 6);
        System.arraycopy(startArguments, 0, arguments, 6, startArguments.length);
        CommandLine.ParseResult parsed = command.parseArgs(arguments);
        LocalHubCommand.Start start = (LocalHubCommand.Start) parsed.subcommand().commandSpec().userObject();
        return start.builder().start();
    }

    private static void assertConnects(LocalHub hub, String deviceId, DeviceCertificate credential) throws Exception {
        OfficialSdks sdks = new OfficialSdks(hub);
        sdks.registry().addDevice(new Device(deviceId, AuthenticationType.CERTIFICATE_AUTHORITY));
        DeviceClient device = new DeviceClient(hub.deviceConnectionString(deviceId), IotHubClientProtocol.MQTT,
                ClientOptions.builder().sslContext(hub.deviceSslContext(credential)).build());
        try {
            device.open(false);
            assertThat(sdks.registry().getDevice(deviceId).getConnectionState())
                    .isEqualTo(DeviceConnectionState.Connected);
        } finally {
            device.close();
        }
    }

    @Test
    void device_cert_writes_a_certificate_and_an_owner_only_key_that_the_device_sdk_connects_with() throws Exception {
        int exit = run(new StringBuilder(), "device-cert", "thermostat-9", "--data-dir", dataDir.toString(), "--out", out.toString());

        assertThat(exit).isZero();
        Path certificate = out.resolve("thermostat-9.cert.pem");
        Path key = out.resolve("thermostat-9.key.pem");
        assertThat(Files.readString(certificate)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        DeviceCertificate credential = DeviceCertificate.readPemFiles(certificate, key);
        assertThat(credential.certificate().getSubjectX500Principal().getName()).contains("CN=thermostat-9");
        try (LocalHub hub = hubOn()) {
            assertConnects(hub, "thermostat-9", credential);
        }
    }

    @Test
    void device_cert_refuses_an_id_the_registry_would_refuse_and_writes_nothing() throws Exception {
        StringBuilder errors = new StringBuilder();
        int exit = run(errors, "device-cert", "not/a-device", "--data-dir", dataDir.toString(), "--out", out.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(errors).contains("contains '/'");
        try (var files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void start_with_device_ca_trusts_certificates_that_ca_signed() throws Exception {
        Issued ca = TestCertificates.certificateAuthority("fleet CA");
        Path caPem = Files.writeString(out.resolve("fleet-ca.pem"), TestCertificates.pem(ca.certificate()));
        Issued leaf = TestCertificates.signedBy(ca, "CN=fleet-device-1");

        try (LocalHub hub = hubOn("--device-ca", caPem.toString())) {
            assertConnects(hub, "fleet-device-1", new DeviceCertificate(leaf.key(),
                    List.of(leaf.certificate())));
        }
    }

    @Test
    void start_with_a_tier_profile_throttles_at_the_tiers_quota_with_the_knobs_given() throws Exception {
        try (LocalHub hub = hubOn("--profile", "S1", "--units", "2", "--shaping-limit", "0", "--query-lag", "250ms",
                "--identity-propagation", "0")) {
            assertThat(hub.profile()).isEqualTo(HubProfile.of(Tier.S1, 2).withShapingLimit(Duration.ZERO)
                    .withQueryLag(Duration.ofMillis(250)).withIdentityPropagation(Duration.ZERO));
            QueryClient queries = new OfficialSdks(hub).queries();
            int refused = 0;
            for (int i = 0; i < 45; i++) {
                try {
                    queries.queryTwins("SELECT * FROM devices");
                } catch (IotHubTooManyRequestsException e) {
                    refused++;
                }
            }
            // 20 queries a minute per unit, all at once when idle
            assertThat(refused).isBetween(3, 5);
        }
    }

    @Test
    void start_without_a_profile_is_local() throws Exception {
        try (LocalHub hub = hubOn()) {
            assertThat(hub.profile()).isEqualTo(HubProfile.local());
        }
    }

    @Test
    void start_with_an_unknown_profile_units_a_tier_lacks_or_a_bad_duration_exits_with_a_message() {
        String[][] cases = {
            {"--profile", "b1"},
            {"--profile", "free", "--units", "2"},
            {"--profile", "local", "--units", "3"},
            {"--profile", "s1", "--query-lag", "3 seconds"},
            {"--profile", "s3", "--units", "11"},
        };
        String[] expected = {"no profile named 'b1'", "free hub has 1 unit", "local profile has no units",
            "'3 seconds' is not a duration", "s3 hub has 1 to 10 units"};
        for (int i = 0; i < cases.length; i++) {
            StringBuilder errors = new StringBuilder();
            String[] arguments = new String[cases[i].length + 4];
            System.arraycopy(new String[] {"start", "--data-dir", dataDir.toString(), "--in-memory"}, 0, arguments, 0, 4);
            System.arraycopy(cases[i], 0, arguments, 4, cases[i].length);
            assertThat(run(errors, arguments)).as(String.join(" ", cases[i])).isEqualTo(1);
            assertThat(errors).as(String.join(" ", cases[i])).contains(expected[i]);
        }
    }

    @Test
    void start_with_a_device_ca_file_that_holds_no_ca_certificate_exits_with_a_message() throws Exception {
        Issued notACa = TestCertificates.selfSigned();
        Path pem = Files.writeString(out.resolve("leaf.pem"), TestCertificates.pem(notACa.certificate()));

        StringBuilder errors = new StringBuilder();
        int exit = run(errors, "start", "--data-dir", dataDir.toString(), "--in-memory", "--device-ca", pem.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(errors).contains("leaf.pem").contains("is not a CA certificate");
    }

    @Test
    void drop_connection_ends_a_device_connection_of_the_hub_its_hub_env_names_and_refuses_reconnects() throws Exception {
        try (LocalHub hub = hubOn()) {
            HubEnvFile.write(dataDir, hub);
            String deviceId = LocalHub.DEFAULT_DEVICE_ID;
            String token = RawMqttDevice.token(hub, deviceId, RawMqttDevice.primaryKey(hub, deviceId),
                    Instant.now().plusSeconds(3600));
            try (RawMqttSocket device = RawMqttSocket.open(hub)) {
                assertThat(device.connect(hub, deviceId, token, 60)).isZero();

                StringBuilder errors = new StringBuilder();
                int exit = run(errors, "drop-connection", deviceId, "--refuse-for", "30", "--data-dir", dataDir.toString());

                assertThat(exit).as(errors.toString()).isZero();
                assertThat(device.readPacket()).as("the connection ended").isNull();
            }
            try (RawMqttSocket again = RawMqttSocket.open(hub)) {
                assertThat(again.connect(hub, deviceId, token, 60)).as("refused: server unavailable").isEqualTo(3);
            }
            StringBuilder errors = new StringBuilder();
            assertThat(run(errors, "drop-connection", "nobody", "--data-dir", dataDir.toString())).isEqualTo(1);
            assertThat(errors.toString()).contains("404").contains("404001");
        }
    }

    @Test
    void drop_connection_without_a_running_hub_says_how_to_start_one() throws Exception {
        StringBuilder errors = new StringBuilder();
        assertThat(run(errors, "drop-connection", "dev1", "--data-dir", dataDir.toString())).isEqualTo(2);
        assertThat(errors.toString()).contains("no hub.env").contains("local-hub.jar start");

        try (LocalHub hub = hubOn()) {
            Path env = HubEnvFile.write(dataDir, hub);
            // a hub.env a killed hub left behind names a process that is gone
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            Files.writeString(env, Files.readString(env).replaceAll("LOCALHUB_PID=.*", "LOCALHUB_PID=" + gone.pid()));
            StringBuilder stale = new StringBuilder();
            assertThat(run(stale, "drop-connection", "dev1", "--data-dir", dataDir.toString())).isEqualTo(2);
            assertThat(stale.toString()).contains("no longer running");
        }
    }

    @Test
    void send_message_queues_a_message_the_device_sdk_receives_with_its_properties() throws Exception {
        try (LocalHub hub = hubOn()) {
            HubEnvFile.write(dataDir, hub);
            StringBuilder errors = new StringBuilder();

            int exit = run(errors, "send-message", LocalHub.DEFAULT_DEVICE_ID, "turn the fan on", "--property",
                    "priority=high", "--message-id", "cli-1", "--ttl", "600", "--data-dir", dataDir.toString());

            assertThat(exit).as(errors.toString()).isZero();
            List<Message> received = new CopyOnWriteArrayList<>();
            DeviceClient device = new OfficialSdks(hub).device(LocalHub.DEFAULT_DEVICE_ID);
            device.setMessageCallback((message, ctx) -> {
                received.add(message);
                return IotHubMessageResult.COMPLETE;
            }, null);
            try {
                device.open(false);
                await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
            } finally {
                device.close();
            }
            assertThat(new String(received.get(0).getBytes(), StandardCharsets.UTF_8)).isEqualTo("turn the fan on");
            assertThat(received.get(0).getMessageId()).isEqualTo("cli-1");
            assertThat(received.get(0).getProperty("priority")).isEqualTo("high");

            StringBuilder tooLong = new StringBuilder();
            assertThat(run(tooLong, "send-message", LocalHub.DEFAULT_DEVICE_ID, "x", "--ttl", "172801", "--data-dir",
                    dataDir.toString())).isEqualTo(2);
            assertThat(tooLong.toString()).contains("--ttl");
        }
    }
}
