package lab.devicetwins.localhub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import lab.devicetwins.localhub.sdk.TestCertificates;
import org.junit.jupiter.api.Test;

class BridgedConnectionsTest {
    private final BridgedConnections connections = new BridgedConnections();

    @Test
    void a_connection_nobody_announced_is_not_served() {
        assertThat(connections.claim(40001)).isEmpty();
    }

    @Test
    void an_announced_connection_is_claimed_once_with_its_certificate_chain() {
        var certificate = TestCertificates.selfSigned().certificate();
        connections.announce(40002, List.of(certificate));

        assertThat(connections.claim(40002)).contains(List.of(certificate));
        assertThat(connections.claim(40002)).isEmpty();
    }

    @Test
    void forgetting_an_ended_connection_leaves_a_later_one_on_the_same_port() {
        List<java.security.cert.X509Certificate> ended = connections.announce(40003,
                List.of(TestCertificates.selfSigned().certificate()));
        var later = TestCertificates.selfSigned().certificate();
        connections.announce(40003, List.of(later));

        connections.forget(40003, ended);

        assertThat(connections.claim(40003)).contains(List.of(later));
    }
}
