package lab.devicetwins.localhub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.JksOptions;
import io.vertx.mqtt.MqttServerOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The listener settings that do not show on the wire. TCP_NODELAY is a sender-side socket option a client cannot
 * observe, so the test reads what the hub hands to Vert.x, which applies it to every accepted socket.
 */
class MqttServerOptionsTest {
    private final MqttServerOptions options = MqttDeviceEndpoint.serverOptions("127.0.0.11", 8883, new JksOptions(),
            Duration.ofSeconds(7));

    @Test
    void accepted_sockets_get_tcp_nodelay() {
        assertThat(options.isTcpNoDelay()).isTrue();
    }

    @Test
    void the_listener_speaks_tls_only_and_limits_packets_to_a_device_message_plus_topic() {
        assertThat(options.isSsl()).isTrue();
        assertThat(options.getMaxMessageSize()).isEqualTo(256 * 1024 + 4096);
    }

    @Test
    void a_connection_gets_the_configured_time_to_send_connect() {
        assertThat(options.timeoutOnConnect()).isEqualTo(7);
    }
}
