package lab.devicetwins.localhub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.sdk.SettableClock;
import lab.devicetwins.localhub.store.FailingHubStore;
import lab.devicetwins.localhub.store.InMemoryHubStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The MQTT side acknowledges only what the store kept, and ends a connection on the hub's own clock.
 */
class MqttSessionPersistenceFailureTest {
    private static final String DEVICE = "persist-fail";

    @Test
    void a_subscription_the_store_could_not_keep_is_refused_in_the_suback_and_not_kept() throws Exception {
        FailingHubStore store = new FailingHubStore(new InMemoryHubStore());
        try (LocalHub hub = LocalHub.builder().mqttPort(0).httpsPort(0).proxyPort(-1).store(store)
                .seedDevices(List.of(DEVICE)).start();
             RawMqttDevice device = new RawMqttDevice(hub, DEVICE)) {
            device.connect(false);
            store.failNext(1);

            int[] granted = device.subscribe(TwinTopics.DESIRED_FILTER);

            assertThat(granted).containsExactly(0x80);
            assertThat(store.loadSession(DEVICE).orElse(Map.of())).doesNotContainKey(TwinTopics.DESIRED_FILTER);
            // and the hub does not deliver on it either: it holds what the store holds
            int[] again = device.subscribe(TwinTopics.RESPONSE_FILTER);
            assertThat(again).containsExactly(1);
            assertThat(store.loadSession(DEVICE).orElseThrow()).containsOnlyKeys(TwinTopics.RESPONSE_FILTER);
        }
    }

    @Test
    void an_unsubscribe_the_store_could_not_keep_ends_the_connection_and_keeps_the_subscription() throws Exception {
        FailingHubStore store = new FailingHubStore(new InMemoryHubStore());
        try (LocalHub hub = LocalHub.builder().mqttPort(0).httpsPort(0).proxyPort(-1).store(store)
                .seedDevices(List.of(DEVICE)).start();
             RawMqttDevice device = new RawMqttDevice(hub, DEVICE)) {
            device.connect(false);
            device.subscribe(TwinTopics.DESIRED_FILTER);
            store.failNext(1);

            device.unsubscribeNoWait(TwinTopics.DESIRED_FILTER);

            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !device.isConnected());
            assertThat(store.loadSession(DEVICE).orElseThrow()).containsOnlyKeys(TwinTopics.DESIRED_FILTER);
        }
    }

    /** The hub's clock decides when a token has expired, for the connection as for the CONNECT. */
    @Test
    void a_connection_ends_when_its_token_expires_by_the_hub_clock() throws Exception {
        Instant hubNow = Instant.now().minus(Duration.ofHours(1));
        SettableClock clock = new SettableClock();
        clock.set(hubNow);
        try (LocalHub hub = LocalHub.builder().mqttPort(0).httpsPort(0).proxyPort(-1).clock(clock)
                .seedDevices(List.of(DEVICE)).start();
             RawMqttDevice device = new RawMqttDevice(hub, DEVICE)) {
            // valid for two seconds of hub time, an hour and two seconds of wall time
            String token = RawMqttDevice.token(hub, DEVICE, RawMqttDevice.primaryKey(hub, DEVICE), hubNow.plusSeconds(2));
            device.connect(device.options(token, false));
            clock.set(hubNow.plusSeconds(3));

            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !device.isConnected());
        }
    }
}
