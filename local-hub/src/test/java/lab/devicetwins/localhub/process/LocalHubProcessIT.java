package lab.devicetwins.localhub.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.nio.file.Path;
import lab.devicetwins.localhub.HubEnvFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, waiting for and stopping the shaded jar as a process, as the command-line tests and benchmarks do. */
class LocalHubProcessIT {

    /** Set by failsafe to the shaded jar that {@code package} built. */
    private static final Path JAR = Path.of(System.getProperty("localhub.jar", "target/local-hub.jar"));
    private static final String HOST = System.getProperty("localhub.host", "127.0.0.1");

    @TempDir
    Path dataDirectory;

    /** Free ports only: these tests must not hold 8883 while another test needs it. */
    private LocalHubProcess.Builder hub() {
        return LocalHubProcess.builder(JAR).host(HOST).arguments("--mqtt-port", "0", "--https-port", "0");
    }

    @Test
    void a_started_hub_is_ready_with_the_hub_env_of_its_own_process_and_ports_that_accept() throws Exception {
        try (LocalHubProcess hub = hub().dataDirectory(dataDirectory).start()) {
            HubEnvFile env = hub.hubEnv();

            assertThat(env.path()).isEqualTo(dataDirectory.resolve(HubEnvFile.FILE_NAME));
            assertThat(env.get(HubEnvFile.PID)).contains(Long.toString(hub.pid()));
            for (String port : new String[] {HubEnvFile.MQTT_PORT, HubEnvFile.HTTPS_PORT, HubEnvFile.PROXY_PORT}) {
                assertThat(accepts(env.port(port).orElseThrow())).as(port).isTrue();
            }
            assertThat(hub.startedIn()).isPositive();
            assertThat(hub.awaitOutput(line -> line.startsWith(LocalHubProcess.READY_LINE), Duration.ofSeconds(60)))
                    .as("the ready line, printed after hub.env").isTrue();
        }
    }

    @Test
    void a_hub_env_left_behind_by_a_killed_hub_is_not_taken_for_the_next_hub_being_ready() throws Exception {
        String killedPid;
        try (LocalHubProcess killed = hub().dataDirectory(dataDirectory).start()) {
            killedPid = killed.hubEnv().require(HubEnvFile.PID);
            killed.kill();
            assertThat(killed.isAlive()).isFalse();
        }
        assertThat(HubEnvFile.read(dataDirectory.resolve(HubEnvFile.FILE_NAME)).get(HubEnvFile.PID)).contains(killedPid);

        try (LocalHubProcess next = hub().dataDirectory(dataDirectory).launch()) {
            next.awaitReady();

            assertThat(next.hubEnv().require(HubEnvFile.PID)).isEqualTo(Long.toString(next.pid())).isNotEqualTo(killedPid);
        }
    }

    @Test
    void a_hub_that_cannot_start_fails_the_start_with_its_exit_code_and_what_it_printed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            String port = Integer.toString(taken.getLocalPort());
            LocalHubProcess.Builder refused = hub().dataDirectory(dataDirectory).arguments("--proxy-port", port);

            assertThatThrownBy(refused::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code 1 before it was ready")
                    .hasMessageContaining(port);
        }
    }

    @Test
    void a_launched_hub_has_no_hub_env_until_it_was_waited_for() throws Exception {
        try (LocalHubProcess hub = hub().dataDirectory(dataDirectory).arguments("--proxy-port", "-1").launch()) {
            assertThatThrownBy(hub::hubEnv).isInstanceOf(IllegalStateException.class).hasMessageContaining("not ready");

            hub.awaitReady();

            assertThat(hub.hubEnv().get(HubEnvFile.PROXY_PORT)).as("no proxy, so none to wait for").isEmpty();
        }
    }

    @Test
    void closing_stops_the_hub_as_ctrl_c_does_and_deletes_the_temporary_data_directory_it_made() throws Exception {
        LocalHubProcess hub = hub().start();
        Path temporary = hub.dataDirectory();
        assertThat(temporary.resolve(HubEnvFile.FILE_NAME)).exists();

        hub.close();

        assertThat(hub.isAlive()).isFalse();
        assertThat(hub.output()).anySatisfy(line -> assertThat(line).contains("stopping"));
        assertThat(temporary).doesNotExist();
    }

    @Test
    void a_given_data_directory_is_kept_after_close() throws Exception {
        try (LocalHubProcess hub = hub().dataDirectory(dataDirectory).start()) {
            assertThat(hub.dataDirectory()).isEqualTo(dataDirectory);
        }

        assertThat(dataDirectory.resolve(HubEnvFile.FILE_NAME)).exists();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
