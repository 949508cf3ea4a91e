package lab.devicetwins.localhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HubEnvFileTest {

    private static final Path FILE = Path.of("/tmp/hub-data/hub.env");

    @TempDir
    Path directory;

    @Test
    void what_a_running_hub_writes_reads_back_as_its_connection_strings_files_ports_and_process() throws IOException {
        try (LocalHub hub = LocalHub.builder().dataDirectory(directory).mqttPort(0).httpsPort(0).start()) {
            Path written = HubEnvFile.write(directory, hub);

            HubEnvFile file = HubEnvFile.read(written);

            assertThat(written).isEqualTo(directory.resolve(HubEnvFile.FILE_NAME));
            assertThat(file.values()).containsExactlyEntriesOf(HubEnvFile.entries(hub));
            assertThat(file.get(HubEnvFile.OWNER_CONNECTION_STRING)).contains(hub.ownerConnectionString());
            assertThat(file.get(HubEnvFile.DEVICE_CONNECTION_STRING))
                    .contains(hub.deviceConnectionString(LocalHub.DEFAULT_DEVICE_ID));
            assertThat(file.path(HubEnvFile.CA_PEM)).isEqualTo(hub.caPemFile().map(Path::toAbsolutePath));
            assertThat(file.port(HubEnvFile.MQTT_PORT)).contains(hub.mqttPort());
            assertThat(file.port(HubEnvFile.HTTPS_PORT)).contains(hub.httpsPort());
            assertThat(file.get(HubEnvFile.PID)).contains(Long.toString(ProcessHandle.current().pid()));
            assertThat(Files.list(directory)).noneMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        }
    }

    @Test
    void a_connection_string_keeps_the_equals_signs_of_its_own_values() {
        HubEnvFile file = HubEnvFile.parse(FILE,
                "IOTHUB_DEVICE_CONNECTION_STRING=HostName=127.0.0.1;DeviceId=myDeviceId;SharedAccessKey=abc+/de==\n");

        assertThat(file.get("IOTHUB_DEVICE_CONNECTION_STRING"))
                .contains("HostName=127.0.0.1;DeviceId=myDeviceId;SharedAccessKey=abc+/de==");
    }

    @Test
    void single_quotes_written_for_the_shell_are_not_part_of_the_value() {
        HubEnvFile file = HubEnvFile.parse(FILE, String.join("\n",
                "IOTHUB_CONNECTION_STRING='HostName=127.0.0.1;SharedAccessKeyName=iothubowner;SharedAccessKey=k+/x='",
                "LOCALHUB_TRUSTSTORE_PASSWORD='it'\\''s'",
                "LOCALHUB_MQTT_PORT='8883'"));

        assertThat(file.get("IOTHUB_CONNECTION_STRING"))
                .contains("HostName=127.0.0.1;SharedAccessKeyName=iothubowner;SharedAccessKey=k+/x=");
        assertThat(file.get("LOCALHUB_TRUSTSTORE_PASSWORD")).contains("it's");
        assertThat(file.port("LOCALHUB_MQTT_PORT")).contains(8883);
    }

    @ParameterizedTest
    @ValueSource(strings = {"it's", "''", "'", "a'b'c", " padded ", "x=y;z", "$HOME `id` \\n", "\\'", "tab\there"})
    void every_value_the_writer_quotes_reads_back_unchanged(String value) {
        HubEnvFile file = HubEnvFile.parse(FILE, "KEY=" + HubEnvFile.shellQuote(value) + "\n");

        assertThat(file.values()).containsEntry("KEY", value);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void a_shell_that_sources_the_file_sees_the_values_the_reader_sees() throws Exception {
        List<String> values = List.of("HostName=127.0.0.1;DeviceId=d;SharedAccessKey=a+/b==", "it's", "$HOME `id`");
        StringBuilder text = new StringBuilder("# a comment\n\n");
        for (int i = 0; i < values.size(); i++) {
            text.append("KEY_").append(i).append('=').append(HubEnvFile.shellQuote(values.get(i))).append('\n');
        }
        Path file = Files.writeString(directory.resolve(HubEnvFile.FILE_NAME), text);

        Process shell = new ProcessBuilder("sh", "-c", ". \"$0\"; printf '%s\\n' \"$KEY_0\" \"$KEY_1\" \"$KEY_2\"",
                file.toString()).redirectErrorStream(true).start();
        List<String> printed = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(printed).isEqualTo(values);
        assertThat(HubEnvFile.read(file).values().values()).containsExactlyElementsOf(values);
    }

    @Test
    void blank_lines_and_comments_are_skipped_and_an_empty_value_reads_as_absent() {
        HubEnvFile file = HubEnvFile.parse(FILE, "# written by the local hub\n\nLOCALHUB_PROXY_PORT=\r\nLOCALHUB_MQTT_PORT=8883\n");

        assertThat(file.values()).containsOnlyKeys("LOCALHUB_PROXY_PORT", "LOCALHUB_MQTT_PORT");
        assertThat(file.get("LOCALHUB_PROXY_PORT")).isEmpty();
        assertThat(file.port("LOCALHUB_MQTT_PORT")).contains(8883);
    }

    @Test
    void a_key_given_twice_keeps_its_last_value_as_in_a_shell() {
        HubEnvFile file = HubEnvFile.parse(FILE, "LOCALHUB_MQTT_PORT=8883\nLOCALHUB_MQTT_PORT=18883\n");

        assertThat(file.port("LOCALHUB_MQTT_PORT")).contains(18883);
    }

    @Test
    void a_relative_path_is_read_against_the_directory_of_the_file() {
        HubEnvFile file = HubEnvFile.parse(FILE, "LOCALHUB_CA_PEM=ca.pem\nLOCALHUB_TRUSTSTORE=/etc/hub/trust.p12\n");

        assertThat(file.path("LOCALHUB_CA_PEM")).contains(Path.of("/tmp/hub-data/ca.pem"));
        assertThat(file.path("LOCALHUB_TRUSTSTORE")).contains(Path.of("/etc/hub/trust.p12"));
    }

    @Test
    void a_line_without_a_key_names_the_file_and_the_line() {
        assertThatThrownBy(() -> HubEnvFile.parse(FILE, "LOCALHUB_MQTT_PORT=8883\nnot a setting\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hub.env line 2")
                .hasMessageContaining("not a setting");
    }

    @ParameterizedTest
    @ValueSource(strings = {"=8883", "LOCALHUB MQTT PORT=8883", "9LIVES=1", "LOCALHUB-MQTT-PORT=8883"})
    void a_key_a_shell_would_not_assign_is_refused_with_its_line(String line) {
        assertThatThrownBy(() -> HubEnvFile.parse(FILE, "# hub.env\n" + line + "\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hub.env line 2")
                .hasMessageContaining(line);
    }

    @Test
    void a_value_that_opens_a_quote_and_never_closes_it_is_refused_with_its_line() {
        assertThatThrownBy(() -> HubEnvFile.parse(FILE, "IOTHUB_CONNECTION_STRING='HostName=127.0.0.1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hub.env line 1")
                .hasMessageContaining("IOTHUB_CONNECTION_STRING");
    }

    @Test
    void a_missing_required_value_names_the_file_and_the_key() {
        HubEnvFile file = HubEnvFile.parse(FILE, "LOCALHUB_PROXY_PORT=\n");

        assertThatThrownBy(() -> file.require("LOCALHUB_PROXY_PORT"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hub.env has no value for LOCALHUB_PROXY_PORT");
    }

    @Test
    void a_port_that_is_not_a_number_is_reported_with_its_key() {
        HubEnvFile file = HubEnvFile.parse(FILE, "LOCALHUB_HTTPS_PORT=https\n");

        assertThatThrownBy(() -> file.port("LOCALHUB_HTTPS_PORT"))
                .hasMessageContaining("LOCALHUB_HTTPS_PORT must be a port number, not 'https'");
    }

    @Test
    void a_value_with_a_line_break_is_refused_by_the_writer_since_no_reader_could_tell_where_it_ends() {
        assertThatThrownBy(() -> HubEnvFile.shellQuote("first\nsecond"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
