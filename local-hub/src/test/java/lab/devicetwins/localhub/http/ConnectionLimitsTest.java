package lab.devicetwins.localhub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The limits refuse values the listeners could not apply, and each {@code with…} changes only its own value. */
class ConnectionLimitsTest {
    private final ConnectionLimits defaults = ConnectionLimits.defaults();

    @Test
    void a_zero_or_negative_limit_is_refused_with_its_name() {
        assertThatThrownBy(() -> defaults.withRequestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> defaults.withIdleTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> defaults.withMaxConnectionsPerPort(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnectionsPerPort");
    }

    @Test
    void the_mqtt_connect_timeout_must_be_whole_seconds() {
        assertThatThrownBy(() -> defaults.withMqttConnectTimeout(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole seconds");
        assertThat(defaults.withMqttConnectTimeout(Duration.ofSeconds(2)).mqttConnectTimeout())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void each_with_method_changes_only_its_own_value() {
        Duration d = Duration.ofMillis(1234);

        assertThat(defaults.withTlsHandshakeTimeout(d)).isEqualTo(new ConnectionLimits(d, defaults.requestTimeout(),
                defaults.idleTimeout(), defaults.tunnelIdleTimeout(), defaults.maxConnectionsPerPort(),
                defaults.mqttConnectTimeout()));
        assertThat(defaults.withRequestTimeout(d)).isEqualTo(new ConnectionLimits(defaults.tlsHandshakeTimeout(), d,
                defaults.idleTimeout(), defaults.tunnelIdleTimeout(), defaults.maxConnectionsPerPort(),
                defaults.mqttConnectTimeout()));
        assertThat(defaults.withIdleTimeout(d)).isEqualTo(new ConnectionLimits(defaults.tlsHandshakeTimeout(),
                defaults.requestTimeout(), d, defaults.tunnelIdleTimeout(), defaults.maxConnectionsPerPort(),
                defaults.mqttConnectTimeout()));
        assertThat(defaults.withTunnelIdleTimeout(d)).isEqualTo(new ConnectionLimits(defaults.tlsHandshakeTimeout(),
                defaults.requestTimeout(), defaults.idleTimeout(), d, defaults.maxConnectionsPerPort(),
                defaults.mqttConnectTimeout()));
        assertThat(defaults.withMaxConnectionsPerPort(7)).isEqualTo(new ConnectionLimits(defaults.tlsHandshakeTimeout(),
                defaults.requestTimeout(), defaults.idleTimeout(), defaults.tunnelIdleTimeout(), 7,
                defaults.mqttConnectTimeout()));
    }
}
