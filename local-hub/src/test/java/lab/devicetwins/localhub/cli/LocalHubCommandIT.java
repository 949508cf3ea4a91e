package lab.devicetwins.localhub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.service.ProxyOptions;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClientOptions;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinClientOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.process.LocalHubProcess;
import lab.devicetwins.localhub.tls.DevelopmentCaTrust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line a learner starts, run as a separate process from the shaded jar. */
class LocalHubCommandIT {

    /** Set by failsafe to the shaded jar that {@code package} built. */
    static final Path JAR = Path.of(System.getProperty("localhub.jar", "target/local-hub.jar"));
    /** Every helper on a shared machine runs its hubs on its own loopback address. */
    static final String HOST = System.getProperty("localhub.host", "127.0.0.1");

    private static final List<String> HUB_ENV_KEYS = List.of("IOTHUB_CONNECTION_STRING",
            "IOTHUB_DEVICE_CONNECTION_STRING", "IOTHUB_SERVICE_CONNECTION_STRING", "LOCALHUB_CA_PEM",
            "LOCALHUB_TRUSTSTORE", "LOCALHUB_TRUSTSTORE_PASSWORD", "LOCALHUB_MQTT_PORT", "LOCALHUB_HTTPS_PORT",
            "LOCALHUB_PROXY_PORT", "LOCALHUB_PID", "INSPECTOR_URL");

    @TempDir
    Path dataDirectory;

    private LocalHubProcess.Builder hub(String... arguments) {
        return LocalHubProcess.builder(JAR).dataDirectory(dataDirectory).host(HOST).arguments(arguments);
    }

    @Test
    void start_prints_where_it_listens_then_ready_and_writes_hub_env_whose_connection_strings_work() throws Exception {
        try (LocalHubProcess hub = hub("--https-port", "0").start()) {
            assertThat(hub.awaitOutput(line -> line.startsWith(LocalHubProcess.READY_LINE), Duration.ofSeconds(60)))
                    .as("the ready line").isTrue();
            Map<String, String> env = hub.hubEnv().values();
            String output = String.join("\n", hub.output());

            assertThat(env).containsOnlyKeys(HUB_ENV_KEYS);
            assertThat(env.values()).allSatisfy(value -> assertThat(value).isNotBlank());
            assertThat(env.get("LOCALHUB_PID")).isEqualTo(Long.toString(hub.pid()));
            assertThat(output)
                    .contains("mqtts://" + HOST + ":8883")
                    .contains("https://" + HOST + ":" + env.get("LOCALHUB_HTTPS_PORT"))
                    .contains("http://" + HOST + ":" + env.get("LOCALHUB_PROXY_PORT"))
                    .contains("IOTHUB_CONNECTION_STRING=" + env.get("IOTHUB_CONNECTION_STRING"))
                    .contains("IOTHUB_DEVICE_CONNECTION_STRING=" + env.get("IOTHUB_DEVICE_CONNECTION_STRING"))
                    .contains("IOTHUB_SERVICE_CONNECTION_STRING=" + env.get("IOTHUB_SERVICE_CONNECTION_STRING"))
                    .contains(env.get("INSPECTOR_URL"));
            assertThat(hub.output().get(hub.output().size() - 1)).startsWith(LocalHubProcess.READY_LINE);
            assertThat(Files.readString(Path.of(env.get("LOCALHUB_CA_PEM")))).startsWith("-----BEGIN CERTIFICATE-----");

            SSLContext trust = DevelopmentCaTrust.fromPemFile(hub.hubEnv().path(HubEnvFile.CA_PEM).orElseThrow())
                    .sslContext();
            DeviceClient device = new DeviceClient(env.get("IOTHUB_DEVICE_CONNECTION_STRING"), IotHubClientProtocol.MQTT,
                    ClientOptions.builder().sslContext(trust).build());
            device.open(false);
            device.close();
            HttpsURLConnection.setDefaultSSLSocketFactory(trust.getSocketFactory());
            ProxyOptions proxy = new ProxyOptions(new Proxy(Proxy.Type.HTTP,
                    new InetSocketAddress(HOST, Integer.parseInt(env.get("LOCALHUB_PROXY_PORT")))));
            RegistryClient owner = new RegistryClient(env.get("IOTHUB_CONNECTION_STRING"),
                    RegistryClientOptions.builder().proxyOptions(proxy).build());
            TwinClient service = new TwinClient(env.get("IOTHUB_SERVICE_CONNECTION_STRING"),
                    TwinClientOptions.builder().proxyOptions(proxy).build());
            assertThat(owner.getStatistics().getTotalDeviceCount()).isEqualTo(1);
            assertThat(service.get("myDeviceId").getDeviceId()).isEqualTo("myDeviceId");
        }
    }

    @Test
    void a_sigterm_as_from_ctrl_c_stops_the_hub_and_frees_its_ports() throws Exception {
        try (LocalHubProcess hub = hub("--https-port", "0").start()) {
            int httpsPort = hub.hubEnv().port(HubEnvFile.HTTPS_PORT).orElseThrow();

            hub.stop();

            assertThat(hub.isAlive()).isFalse();
            assertThat(hub.output()).anySatisfy(line -> assertThat(line).contains("stopping"));
            InetAddress host = InetAddress.getByName(HOST);
            new ServerSocket(8883, 1, host).close();
            new ServerSocket(httpsPort, 1, host).close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--mqtt-port", "--https-port", "--proxy-port"})
    void a_port_in_use_is_a_one_line_error_naming_the_port_and_a_failed_exit(String option) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            String port = Integer.toString(taken.getLocalPort());
            List<String> arguments = option.equals("--https-port")
                    ? List.of(option, port) : List.of("--https-port", "0", option, port);

            try (LocalHubProcess hub = hub(arguments.toArray(String[]::new)).launch()) {
                assertThat(hub.awaitExit(Duration.ofSeconds(120))).as("the hub exits").isTrue();

                assertThat(hub.exitValue()).isNotZero();
                List<String> errors = hub.errorOutput().stream().filter(line -> !line.isBlank()).toList();
                assertThat(errors).singleElement().asString().contains(port).contains("in use");
                assertThat(hub.output()).noneSatisfy(line -> assertThat(line).contains("ready"));
            }
        }
    }
}
