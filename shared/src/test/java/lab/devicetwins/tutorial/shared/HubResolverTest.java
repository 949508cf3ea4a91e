package lab.devicetwins.tutorial.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private TargetHub resolve(Map<String, String> environment) {
        return new HubResolver(environment, directory, out).resolve();
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void connection_strings_in_the_environment_win_over_a_hub_env_file() throws IOException {
        try (ServerSocket mqtt = new ServerSocket(0)) {
            writeHubEnv(directory.resolve(".localhub"), mqtt.getLocalPort(), 443, "");

            TargetHub hub = resolve(Map.of(
                    "IOTHUB_DEVICE_CONNECTION_STRING", DEVICE, "IOTHUB_SERVICE_CONNECTION_STRING", SERVICE));

            assertThat(hub.deviceConnectionString()).isEqualTo(DEVICE);
            assertThat(hub.serviceConnectionString()).isEqualTo(SERVICE);
            assertThat(hub.serviceConnectionStringSource()).isEqualTo("IOTHUB_SERVICE_CONNECTION_STRING");
            assertThat(hub.localCaPem()).isEmpty();
            assertThat(hub.httpsProxy()).isEmpty();
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("IOTHUB_DEVICE_CONNECTION_STRING");
        }
    }

    @Test
    void an_app_that_needs_a_connection_string_the_environment_lacks_is_told_which_variable_to_set() {
        TargetHub hub = resolve(Map.of("IOTHUB_DEVICE_CONNECTION_STRING", DEVICE));

        assertThatThrownBy(hub::serviceConnectionString)
                .hasMessageContaining("set IOTHUB_SERVICE_CONNECTION_STRING")
                .hasMessageContaining("ServiceConnect");
        assertThatThrownBy(hub::registryConnectionString)
                .hasMessageContaining("set IOTHUB_CONNECTION_STRING")
                .hasMessageContaining("RegistryWrite");
    }

    @Test
    void the_apps_prefer_the_least_privilege_policy_and_registry_work_uses_the_owner() {
        TargetHub hub = resolve(Map.of("IOTHUB_CONNECTION_STRING", OWNER, "IOTHUB_SERVICE_CONNECTION_STRING", SERVICE));

        assertThat(hub.serviceConnectionString()).isEqualTo(SERVICE);
        assertThat(hub.registryConnectionString()).isEqualTo(OWNER);
    }

    @Test
    void the_owner_string_alone_serves_the_apps_too_as_in_the_azure_samples() {
        TargetHub hub = resolve(Map.of("IOTHUB_CONNECTION_STRING", OWNER));

        assertThat(hub.serviceConnectionString()).isEqualTo(OWNER);
        assertThat(hub.serviceConnectionStringSource()).isEqualTo("IOTHUB_CONNECTION_STRING");
    }

    @Test
    void a_policy_string_in_the_device_variable_is_refused_naming_the_variable_before_any_sdk_sees_it() {
        assertThatThrownBy(() -> resolve(Map.of("IOTHUB_DEVICE_CONNECTION_STRING", SERVICE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("IOTHUB_DEVICE_CONNECTION_STRING holds a shared access policy's connection string")
                .hasMessageContaining("DeviceId=");
    }

    @Test
    void a_device_string_in_a_policy_variable_is_refused_naming_the_variable() {
        assertThatThrownBy(() -> resolve(Map.of("IOTHUB_SERVICE_CONNECTION_STRING", DEVICE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("IOTHUB_SERVICE_CONNECTION_STRING holds a device's connection string")
                .hasMessageContaining("IOTHUB_DEVICE_CONNECTION_STRING");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "HostName=127.0.0.1;DeviceId=myDeviceId | SharedAccessKey=",
            "DeviceId=myDeviceId;SharedAccessKey=a2V5 | HostName=",
            "HostName=127.0.0.1;DeviceId=;SharedAccessKey=a2V5 | DeviceId=",
    })
    void a_device_string_missing_a_part_is_refused_naming_the_part(String connectionString, String part) {
        assertThatThrownBy(() -> resolve(Map.of("IOTHUB_DEVICE_CONNECTION_STRING", connectionString)))
                .hasMessage("IOTHUB_DEVICE_CONNECTION_STRING has no " + part + " value; expected "
                        + "HostName=...;DeviceId=...;SharedAccessKey=...");
    }

    @Test
    void values_loaded_by_windows_cmd_keep_their_hub_env_quotes_and_are_read_without_them() {
        TargetHub hub = resolve(Map.of("IOTHUB_DEVICE_CONNECTION_STRING", "'" + DEVICE + "'",
                "IOTHUB_SERVICE_CONNECTION_STRING", "'" + SERVICE + "'"));

        assertThat(hub.deviceConnectionString()).isEqualTo(DEVICE);
        assertThat(hub.serviceConnectionString()).isEqualTo(SERVICE);
        assertThat(HubResolver.unquoted("'it'\\''s'")).isEqualTo("it's");
    }

    @Test
    void local_hub_variables_left_in_the_shell_are_not_applied_to_a_real_hubs_host_name() throws IOException {
        Path data = directory.resolve("data");
        writeHubEnv(data, 8883, 40443, "40080");
        Map<String, String> environment = new HashMap<>(HubEnvFile.read(data.resolve("hub.env")).values());
        environment.put("LOCALHUB_CA_PEM", data.resolve("ca.pem").toString());
        environment.put("IOTHUB_SERVICE_CONNECTION_STRING", SERVICE.replace("127.0.0.1", "myhub.azure-devices.net"));
        environment.put("IOTHUB_CONNECTION_STRING", OWNER.replace("127.0.0.1", "myhub.azure-devices.net"));
        environment.put("IOTHUB_DEVICE_CONNECTION_STRING", DEVICE.replace("127.0.0.1", "myhub.azure-devices.net"));

        TargetHub hub = resolve(environment);

        assertThat(hub.httpsProxy()).isEmpty();
        assertThat(hub.localCaPem()).isEmpty();
        assertThat(printed()).contains("Ignoring LOCALHUB_CA_PEM, LOCALHUB_HTTPS_PORT, LOCALHUB_PROXY_PORT")
                .contains("myhub.azure-devices.net");
    }

    @Test
    void local_hub_variables_of_a_hub_process_that_ended_are_not_applied() throws IOException {
        Path data = directory.resolve("data");
        writeHubEnv(data, 8883, 40443, "40080");
        Map<String, String> environment = new HashMap<>(HubEnvFile.read(data.resolve("hub.env")).values());
        environment.put("LOCALHUB_CA_PEM", data.resolve("ca.pem").toString());
        environment.put("LOCALHUB_PID", Long.toString(endedProcessId()));

        TargetHub hub = resolve(environment);

        assertThat(hub.httpsProxy()).isEmpty();
        assertThat(printed()).contains("is no longer running");
    }

    private static long endedProcessId() {
        try {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor();
            return process.pid();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_running_local_hub_found_in_a_parent_directory_is_used_with_the_articles_policy() throws IOException {
        Path module = Files.createDirectories(directory.resolve("01-device-app"));
        try (ServerSocket mqtt = new ServerSocket(0)) {
            writeHubEnv(directory.resolve(".localhub"), mqtt.getLocalPort(), 40443, "40080");

            TargetHub hub = new HubResolver(Map.of(), module, out).resolve();

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
    void a_hub_env_left_behind_by_a_stopped_hub_is_reported_and_the_learner_told_to_start_a_hub() throws IOException {
        int freePort;
        try (ServerSocket probe = new ServerSocket(0)) {
            freePort = probe.getLocalPort();
        }
        writeHubEnv(directory.resolve(".localhub"), freePort, 443, "");

        assertThatThrownBy(() -> resolve(Map.of())).hasMessageContaining("Start the local hub in another terminal");
        assertThat(printed()).contains("no local hub answers");
    }

    @Test
    void with_nothing_configured_the_learner_is_told_to_start_a_hub_or_set_the_variables() {
        assertThatThrownBy(() -> resolve(Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("java -jar local-hub/target/local-hub.jar start")
                .hasMessageContaining("IOTHUB_DEVICE_CONNECTION_STRING");
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

        // Sourcing hub.env sets both policies: the apps take the article's, the tests that create devices the owner's.
        assertThat(hub.serviceConnectionString()).isEqualTo(SERVICE);
        assertThat(hub.registryConnectionString()).isEqualTo(OWNER);
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
