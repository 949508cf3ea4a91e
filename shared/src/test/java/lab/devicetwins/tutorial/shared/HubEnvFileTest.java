package lab.devicetwins.tutorial.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class HubEnvFileTest {

    private static final Path FILE = Path.of("/tmp/hub-data/hub.env");

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

    @Test
    void blank_lines_and_comments_are_skipped_and_an_empty_value_reads_as_absent() {
        HubEnvFile file = HubEnvFile.parse(FILE, "# written by the local hub\n\nLOCALHUB_PROXY_PORT=\r\nLOCALHUB_MQTT_PORT=8883\n");

        assertThat(file.values()).containsOnlyKeys("LOCALHUB_PROXY_PORT", "LOCALHUB_MQTT_PORT");
        assertThat(file.get("LOCALHUB_PROXY_PORT")).isEmpty();
        assertThat(file.port("LOCALHUB_MQTT_PORT")).contains(8883);
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
                .hasMessageContaining("hub.env line 2")
                .hasMessageContaining("not a setting");
    }

    @Test
    void a_port_that_is_not_a_number_is_reported_with_its_key() {
        HubEnvFile file = HubEnvFile.parse(FILE, "LOCALHUB_HTTPS_PORT=https\n");

        assertThatThrownBy(() -> file.port("LOCALHUB_HTTPS_PORT"))
                .hasMessageContaining("LOCALHUB_HTTPS_PORT must be a port number, not 'https'");
    }
}
