package lab.devicetwins.localhub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * IoT Hub's connection rules for devices (contract §1.6, §1.7): sessions per client id, one connection per identity,
 * token expiry, QoS 2 and forbidden topics end the connection of the offender only.
 */
class MqttConnectionRulesTest {
    private static final String DEVICE = "rules-device";
    private static final String BYSTANDER = "rules-bystander";
    private static final String DESIRED = "$iothub/twin/PATCH/properties/desired/#";
    private static final String RESPONSES = "$iothub/twin/res/#";
    private static final Duration BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.mqttPort(0).httpsPort(0)
            .seedDevices(List.of(DEVICE, BYSTANDER)));

    private final List<RawMqttDevice> opened = new ArrayList<>();
    private RawMqttDevice bystander;

    private RawMqttDevice device(String clientId) throws MqttException {
        RawMqttDevice d = new RawMqttDevice(localHub.hub(), clientId);
        opened.add(d);
        return d;
    }

    @BeforeEach
    void connectBystander() throws Exception {
        bystander = device(BYSTANDER);
        bystander.connect(true);
        bystander.subscribe(RESPONSES);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (RawMqttDevice d : opened) {
            d.close();
        }
        // leave no stored session behind for the next test
        try (RawMqttDevice clean = new RawMqttDevice(localHub.hub(), DEVICE)) {
            clean.connect(true);
            clean.disconnect();
        }
    }

    private static void changeDesired(String key, int value) throws Exception {
        TwinClient twins = new OfficialSdks(localHub.hub()).twins();
        var twin = twins.get(DEVICE);
        twin.getDesiredProperties().put(key, value);
        twins.patch(twin);
    }

    private void assertBystanderUnaffected() throws Exception {
        assertThat(bystander.isConnected()).isTrue();
        assertThat(bystander.getTwin("still-there").topic()).isEqualTo("$iothub/twin/res/200/?$rid=still-there");
    }

    @Test
    void with_clean_session_0_subscriptions_outlive_the_connection() throws Exception {
        RawMqttDevice first = device(DEVICE);
        first.connect(false);
        first.subscribe(DESIRED);
        first.disconnect();
        RawMqttDevice second = device(DEVICE);

        boolean sessionPresent = second.connect(false);
        changeDesired("persisted", 1);

        assertThat(sessionPresent).isTrue();
        assertThat(second.next().topic()).startsWith("$iothub/twin/PATCH/properties/desired/?$version=");
    }

    @Test
    void a_dropped_connection_keeps_the_session_for_the_reconnect() throws Exception {
        RawMqttDevice first = device(DEVICE);
        first.connect(false);
        first.subscribe(DESIRED);

        localHub.hub().dropConnection(DEVICE);

        await().atMost(BOUND).until(() -> first.connectionLost().isDone());
        RawMqttDevice second = device(DEVICE);
        assertThat(second.connect(false)).isTrue();
        changeDesired("afterDrop", 2);
        assertThat(second.next().topic()).startsWith("$iothub/twin/PATCH/properties/desired/?$version=");
        assertBystanderUnaffected();
    }

    @Test
    void clean_session_1_discards_the_stored_subscriptions() throws Exception {
        RawMqttDevice persistent = device(DEVICE);
        persistent.connect(false);
        persistent.subscribe(DESIRED);
        persistent.disconnect();
        RawMqttDevice clean = device(DEVICE);

        boolean sessionPresent = clean.connect(true);
        clean.subscribe(RESPONSES);
        changeDesired("discarded", 3);
        // the service call returns after the hub queued any notification on this connection, so a GET answered
        // later proves that nothing came before it
        clean.getTwin("probe");

        assertThat(sessionPresent).isFalse();
        assertThat(clean.drain()).isEmpty();
    }

    @Test
    void a_clean_session_ends_with_its_connection() throws Exception {
        RawMqttDevice clean = device(DEVICE);
        clean.connect(true);
        clean.subscribe(DESIRED);
        clean.disconnect();
        RawMqttDevice persistent = device(DEVICE);

        boolean sessionPresent = persistent.connect(false);
        persistent.subscribe(RESPONSES);
        changeDesired("gone", 4);
        persistent.getTwin("probe");

        assertThat(sessionPresent).isFalse();
        assertThat(persistent.drain()).isEmpty();
    }

    @Test
    void a_second_connection_with_the_same_identity_drops_the_first() throws Exception {
        RawMqttDevice first = device(DEVICE);
        first.connect(false);
        RawMqttDevice second = device(DEVICE);

        second.connect(false);

        await().atMost(BOUND).until(() -> first.connectionLost().isDone());
        assertThat(second.isConnected()).isTrue();
        second.subscribe(RESPONSES);
        assertThat(second.getTwin("second").topic()).isEqualTo("$iothub/twin/res/200/?$rid=second");
        assertBystanderUnaffected();
    }

    @Test
    void the_hub_closes_the_connection_when_the_sas_token_expires() throws Exception {
        LocalHub hub = localHub.hub();
        RawMqttDevice shortLived = device(DEVICE);
        String token = RawMqttDevice.token(hub, DEVICE, RawMqttDevice.primaryKey(hub, DEVICE),
                Instant.now().plusSeconds(4));

        shortLived.connect(shortLived.options(token, true));

        await().atMost(BOUND).until(() -> shortLived.connectionLost().isDone());
        assertBystanderUnaffected();
    }

    @Test
    void a_qos_2_publish_closes_the_connection() throws Exception {
        RawMqttDevice offender = device(DEVICE);
        offender.connect(true);

        offender.publishNoWait("$iothub/twin/GET/?$rid=qos2", "", 2);

        await().atMost(BOUND).until(() -> offender.connectionLost().isDone());
        assertBystanderUnaffected();
    }

    @ParameterizedTest(name = "publishing to {0} closes the connection")
    @ValueSource(strings = {
            "devices/" + BYSTANDER + "/messages/events/",
            "devices/" + BYSTANDER + "/messages/events/$.ct=UTF-8",
            "devices/" + DEVICE + "/messages/devicebound/x",
            "$iothub/twin/res/200/?$rid=1",
            "$iothub/twin/PATCH/properties/desired/?$version=9",
            "$iothub/twin/GET/",
            "some/arbitrary/topic"})
    void a_publish_to_a_topic_the_device_may_not_use_closes_its_connection_only(String topic) throws Exception {
        RawMqttDevice offender = device(DEVICE);
        offender.connect(true);

        offender.publishNoWait(topic, "{}", 1);

        await().atMost(BOUND).until(() -> offender.connectionLost().isDone());
        assertBystanderUnaffected();
    }

    @Test
    void telemetry_to_its_own_events_topic_is_acknowledged() throws Exception {
        RawMqttDevice sender = device(DEVICE);
        sender.connect(true);

        sender.publish("devices/" + DEVICE + "/messages/events/$.ct=UTF-8&$.ce=utf-8", "{\"t\":21}", 1);

        assertThat(sender.isConnected()).isTrue();
    }

    @Test
    void a_forbidden_filter_is_refused_in_the_suback_while_the_others_are_granted() throws Exception {
        RawMqttDevice subscriber = device(DEVICE);
        subscriber.connect(true);

        int[] granted = subscriber.subscribe(new String[] {RESPONSES, "devices/" + BYSTANDER + "/messages/devicebound/#",
                "#", DESIRED, "devices/" + DEVICE + "/messages/devicebound/#", "$iothub/methods/POST/#"},
                new int[] {1, 1, 1, 2, 1, 0});

        assertThat(granted).containsExactly(1, 0x80, 0x80, 1, 1, 0);
        assertThat(subscriber.isConnected()).isTrue();
        assertThat(subscriber.getTwin("after-suback").topic()).isEqualTo("$iothub/twin/res/200/?$rid=after-suback");
        assertBystanderUnaffected();
    }
}
