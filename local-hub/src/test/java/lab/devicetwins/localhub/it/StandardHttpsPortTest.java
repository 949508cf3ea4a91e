package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.Test;

/**
 * Where the process may bind port 443 (root, CAP_NET_BIND_SERVICE or a low
 * {@code net.ipv4.ip_unprivileged_port_start}), a hub with the default HTTPS port takes it and the service SDK reaches
 * it without a proxy. Skipped where 443 cannot be bound.
 */
class StandardHttpsPortTest {

    @Test
    void a_hub_that_may_bind_443_serves_the_service_sdk_without_a_proxy() throws Exception {
        String host = System.getProperty("localhub.host", "127.0.0.1");
        requireBindable443(host);

        try (LocalHub hub = LocalHub.builder().host(host).mqttPort(0).start()) {
            new OfficialSdks(hub); // trust the hub's CA for HttpsURLConnection
            RegistryClient registry = new RegistryClient(hub.ownerConnectionString());
            TwinClient twins = new TwinClient(hub.ownerConnectionString());

            assertThat(hub.httpsPort()).isEqualTo(443);
            assertThat(hub.httpsOnStandardPort()).isTrue();
            assertThat(registry.getDevice("myDeviceId").getDeviceId()).isEqualTo("myDeviceId");
            assertThat(twins.get("myDeviceId").getDesiredProperties().getVersion()).isEqualTo(1);
        }
    }

    private static void requireBindable443(String host) {
        try {
            new ServerSocket(443, 1, InetAddress.getByName(host)).close();
        } catch (IOException e) {
            abort("this process may not bind " + host + ":443 (" + e.getMessage() + "); the proxy tests cover it");
        }
    }
}
