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
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 3: the command line a learner starts, as a separate process from the shaded jar. */
class LocalHubCommandIT {

    private static final List<String> HUB_ENV_KEYS = List.of("IOTHUB_CONNECTION_STRING",
            "IOTHUB_DEVICE_CONNECTION_STRING", "IOTHUB_SERVICE_CONNECTION_STRING", "LOCALHUB_CA_PEM",
            "LOCALHUB_TRUSTSTORE", "LOCALHUB_TRUSTSTORE_PASSWORD", "LOCALHUB_MQTT_PORT", "LOCALHUB_HTTPS_PORT",
            "LOCALHUB_PROXY_PORT", "LOCALHUB_PID");

    @TempDir
    Path dataDirectory;

    @Test
    void start_prints_where_it_listens_then_ready_and_writes_hub_env_whose_connection_strings_work() throws Exception {
        try (HubProcess hub = HubProcess.startReady(dataDirectory, "--https-port", "0")) {
            Map<String, String> env = hub.env();
            String output = String.join("\n", hub.stdout());

            assertThat(env).containsOnlyKeys(HUB_ENV_KEYS);
            assertThat(env.values()).allSatisfy(value -> assertThat(value).isNotBlank());
            assertThat(output)
                    .contains("mqtts://" + HubProcess.HOST + ":8883")
                    .contains("https://" + HubProcess.HOST + ":" + env.get("LOCALHUB_HTTPS_PORT"))
                    .contains("http://" + HubProcess.HOST + ":" + env.get("LOCALHUB_PROXY_PORT"))
                    .contains("IOTHUB_CONNECTION_STRING=" + env.get("IOTHUB_CONNECTION_STRING"))
                    .contains("IOTHUB_DEVICE_CONNECTION_STRING=" + env.get("IOTHUB_DEVICE_CONNECTION_STRING"))
                    .contains("IOTHUB_SERVICE_CONNECTION_STRING=" + env.get("IOTHUB_SERVICE_CONNECTION_STRING"));
            assertThat(hub.stdout().get(hub.stdout().size() - 1)).contains("ready");
            assertThat(Files.readString(Path.of(env.get("LOCALHUB_CA_PEM")))).startsWith("-----BEGIN CERTIFICATE-----");

            SSLContext trust = hub.clientSslContext();
            DeviceClient device = new DeviceClient(env.get("IOTHUB_DEVICE_CONNECTION_STRING"), IotHubClientProtocol.MQTT,
                    ClientOptions.builder().sslContext(trust).build());
            device.open(false);
            device.close();
            HttpsURLConnection.setDefaultSSLSocketFactory(trust.getSocketFactory());
            ProxyOptions proxy = new ProxyOptions(hub.proxy());
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
        HubProcess hub = HubProcess.startReady(dataDirectory, "--https-port", "0");
        int httpsPort = Integer.parseInt(hub.env().get("LOCALHUB_HTTPS_PORT"));

        hub.stop();

        assertThat(hub.process().isAlive()).isFalse();
        assertThat(hub.stdout()).anySatisfy(line -> assertThat(line).contains("stopping"));
        InetAddress host = InetAddress.getByName(HubProcess.HOST);
        new ServerSocket(8883, 1, host).close();
        new ServerSocket(httpsPort, 1, host).close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--mqtt-port", "--https-port", "--proxy-port"})
    void a_port_in_use_is_a_one_line_error_naming_the_port_and_a_failed_exit(String option) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(HubProcess.HOST))) {
            String port = Integer.toString(taken.getLocalPort());
            List<String> arguments = option.equals("--https-port")
                    ? List.of(option, port) : List.of("--https-port", "0", option, port);

            try (HubProcess hub = HubProcess.start(dataDirectory, arguments.toArray(String[]::new))) {
                assertThat(hub.awaitExit(Duration.ofSeconds(120))).as("the hub exits").isTrue();

                assertThat(hub.process().exitValue()).isNotZero();
                List<String> errors = hub.stderr().stream().filter(line -> !line.isBlank()).toList();
                assertThat(errors).singleElement().asString().contains(port).contains("in use");
                assertThat(hub.stdout()).noneSatisfy(line -> assertThat(line).contains("ready"));
            }
        }
    }
}
