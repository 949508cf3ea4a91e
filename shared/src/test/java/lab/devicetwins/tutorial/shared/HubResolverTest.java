package lab.devicetwins.tutorial.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.tls.DevelopmentCertificates;

class HubResolverTest {

    private static final String DEVICE = "HostName=127.0.0.1;DeviceId=myDeviceId;SharedAccessKey=ZGV2aWNla2V5";
    private static final String OWNER = "HostName=127.0.0.1;SharedAccessKeyName=iothubowner;SharedAccessKey=b3duZXI=";
    private static final String SERVICE = "HostName=127.0.0.1;SharedAccessKeyName=serviceAndRegistryRead;SharedAccessKey=c3Zj";

    @TempDir
    Path directory;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    private final AtomicInteger embeddedStarts = new AtomicInteger();

    private TargetHub embedded(PrintStream out) {
        embeddedStarts.incrementAndGet();
        return new TargetHub("embedded", DEVICE, SERVICE, OWNER, null, null, null);
    }

    private TargetHub resolve(Map<String, String> environment) {
        return new HubResolver(environment, directory, out, this::embedded).resolve();
    }

    @Test
    void connection_strings_in_the_environment_win_over_a_hub_env_file() throws IOException {
        try (ServerSocket mqtt = new ServerSocket(0)) {
            writeHubEnv(directory.resolve(".localhub"), mqtt.getLocalPort(), 443, "");

            TargetHub hub = resolve(Map.of(
                    "IOTHUB_DEVICE_CONNECTION_STRING", DEVICE, "IOTHUB_CONNECTION_STRING", SERVICE));

            assertThat(hub.deviceConnectionString()).isEqualTo(DEVICE);
            assertThat(hub.serviceConnectionString()).isEqualTo(SERVICE);
            assertThat(hub.localCaPem()).isEmpty();
            assertThat(hub.httpsProxy()).isEmpty();
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("IOTHUB_DEVICE_CONNECTION_STRING");
        }
    }

    @Test
    void an_app_that_needs_a_connection_string_the_environment_lacks_is_told_which_variable_to_set() {
        TargetHub hub = resolve(Map.of("IOTHUB_DEVICE_CONNECTION_STRING", DEVICE));

        assertThatThrownBy(hub::serviceConnectionString)
                .hasMessageContaining("set IOTHUB_CONNECTION_STRING")
                .hasMessageContaining("ServiceConnect and RegistryRead");
    }

    @Test
    void a_running_local_hub_found_in_a_parent_directory_is_used_with_the_articles_policy() throws IOException {
        Path module = Files.createDirectories(directory.resolve("01-device-app"));
        try (ServerSocket mqtt = new ServerSocket(0)) {
            writeHubEnv(directory.resolve(".localhub"), mqtt.getLocalPort(), 40443, "40080");

            TargetHub hub = new HubResolver(Map.of(), module, out, this::embedded).resolve();

            assertThat(embeddedStarts).hasValue(0);
            assertThat(hub.deviceConnectionString()).isEqualTo(DEVICE);
            assertThat(hub.serviceConnectionString()).isEqualTo(SERVICE);
            assertThat(hub.registryConnectionString()).isEqualTo(OWNER);
            assertThat(hub.localCaPem()).hasValueSatisfying(pem -> assertThat(pem).contains("BEGIN CERTIFICATE"));
            assertThat(hub.httpsProxy()).hasValueSatisfying(proxy -> {
                assertThat(proxy.getHostString()).isEqualTo("127.0.0.1");
                assertThat(proxy.getPort()).isEqualTo(40080);
            });
            assertThat(hub.twinClientOptions().getProxyOptions().getPort()).isEqualTo(40080);
            assertThat(hub.queryClientOptions().getProxyOptions().getPort()).isEqualTo(40080);
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("hub.env").contains("proxy at 127.0.0.1:40080");
        }
    }

    @Test
    void a_hub_env_left_behind_by_a_stopped_hub_falls_back_to_an_embedded_hub() throws IOException {
        int freePort;
        try (ServerSocket probe = new ServerSocket(0)) {
            freePort = probe.getLocalPort();
        }
        writeHubEnv(directory.resolve(".localhub"), freePort, 443, "");

        resolve(Map.of());

        assertThat(embeddedStarts).hasValue(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("no local hub answers");
    }

    @Test
    void with_nothing_configured_an_embedded_hub_is_started() {
        resolve(Map.of());

        assertThat(embeddedStarts).hasValue(1);
    }

    @Test
    void localhub_dir_pointing_at_a_directory_without_hub_env_is_an_error_that_names_it() {
        assertThatThrownBy(() -> resolve(Map.of("LOCALHUB_DIR", "elsewhere")))
                .hasMessageContaining("LOCALHUB_DIR is elsewhere")
                .hasMessageContaining("hub.env does not exist");
    }

    @Test
    void hub_env_variables_loaded_into_the_environment_bring_trust_and_proxy_along() throws IOException {
        Path data = directory.resolve("data");
        writeHubEnv(data, 8883, 40443, "40080");
        Map<String, String> environment = new HashMap<>(HubEnvFile.read(data.resolve("hub.env")).values());
        environment.put("LOCALHUB_CA_PEM", data.resolve("ca.pem").toString());

        TargetHub hub = resolve(environment);

        // Sourcing hub.env sets IOTHUB_CONNECTION_STRING to the owner policy: the tests that create devices need it.
        assertThat(hub.serviceConnectionString()).isEqualTo(OWNER);
        assertThat(hub.localCaPem()).isPresent();
        assertThat(hub.httpsProxy().map(InetSocketAddress::getPort)).contains(40080);
    }

    @Test
    void the_hub_env_a_running_local_hub_writes_is_read_as_that_hubs_strings_trust_and_proxy() throws IOException {
        Path data = directory.resolve(".localhub");
        // Free ports, MQTT included: this test must not hold 8883, which the device SDK tests need.
        try (LocalHub hub = LocalHub.builder().dataDirectory(data).mqttPort(0).httpsPort(0).start()) {
            HubEnvFile.write(data, hub);

            TargetHub target = resolve(Map.of());

            assertThat(embeddedStarts).hasValue(0);
            assertThat(target.deviceConnectionString()).isEqualTo(hub.deviceConnectionString(LocalHub.DEFAULT_DEVICE_ID));
            assertThat(target.serviceConnectionString()).isEqualTo(hub.serviceConnectionString());
            assertThat(target.registryConnectionString()).isEqualTo(hub.ownerConnectionString());
            assertThat(target.localCaPem()).contains(hub.caPem());
            assertThat(target.httpsProxy().map(InetSocketAddress::getPort))
                    .isEqualTo(hub.proxyAddress().map(InetSocketAddress::getPort));
        }
    }

    @ParameterizedTest(name = "HTTPS port {0}, proxy port ''{1}'' -> proxy {2}")
    @CsvSource(nullValues = "none", value = {
            "443,   40080, none",
            "none,  none,  none",
            "40443, 40080, 40080",
    })
    void the_proxy_is_used_only_when_https_is_not_on_port_443(Integer httpsPort, Integer proxyPort, Integer expected) {
        InetSocketAddress proxy = HubResolver.proxy(Optional.ofNullable(httpsPort), Optional.ofNullable(proxyPort), "127.0.0.1");

        assertThat(Optional.ofNullable(proxy).map(InetSocketAddress::getPort)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void https_off_port_443_without_a_proxy_is_refused_with_the_reason() {
        assertThatThrownBy(() -> HubResolver.proxy(Optional.of(40443), Optional.empty(), "127.0.0.1"))
                .hasMessageContaining("port 40443")
                .hasMessageContaining("can only connect to port 443");
    }

    @Test
    void the_host_name_is_read_from_any_connection_string() {
        assertThat(HubResolver.hostName("SharedAccessKeyName=x;hostname=myhub.azure-devices.net;SharedAccessKey=a="))
                .isEqualTo("myhub.azure-devices.net");
    }

    private void writeHubEnv(Path dataDirectory, int mqttPort, int httpsPort, String proxyPort) throws IOException {
        Files.createDirectories(dataDirectory);
        Files.writeString(dataDirectory.resolve("ca.pem"), DevelopmentCertificates.loadOrCreate(null, List.of()).caPem());
        Files.writeString(dataDirectory.resolve("hub.env"), String.join("\n",
                "IOTHUB_CONNECTION_STRING=" + OWNER,
                "IOTHUB_DEVICE_CONNECTION_STRING=" + DEVICE,
                "IOTHUB_SERVICE_CONNECTION_STRING=" + SERVICE,
                "LOCALHUB_CA_PEM=ca.pem",
                "LOCALHUB_MQTT_PORT=" + mqttPort,
                "LOCALHUB_HTTPS_PORT=" + httpsPort,
                "LOCALHUB_PROXY_PORT=" + proxyPort,
                ""));
    }
}
