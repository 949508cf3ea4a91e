package lab.devicetwins.localhub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.sdk.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionFaultsTest {
    private final SettableClock clock = new SettableClock();
    private final ConnectionFaults faults = new ConnectionFaults(clock);
    private final List<String> ended = new CopyOnWriteArrayList<>();

    ConnectionFaultsTest() {
        clock.set(Instant.parse("2026-12-02T10:00:00Z"));
        faults.setConnections((key, kind, why) -> ended.add(key + " " + kind));
    }

    @AfterEach
    void close() {
        faults.close();
    }

    private static Map<String, String> request(String type, String delay, String duration) {
        return Map.of(ConnectionFaults.TYPE, type, ConnectionFaults.DELAY, delay, ConnectionFaults.DURATION, duration);
    }

    @Test
    void kill_tcp_and_shut_down_mqtt_are_read_with_their_timings_and_close_reason() {
        Map<String, String> properties = Map.of(ConnectionFaults.TYPE, "ShutDownMqtt", ConnectionFaults.DELAY, "1",
                ConnectionFaults.DURATION, "100000", ConnectionFaults.CLOSE_REASON, "byebye");

        assertThat(ConnectionFaults.read(properties)).isEqualTo(new ConnectionFaults.Requested(new ConnectionFaults.Fault(
                ConnectionFaults.Kind.SHUT_DOWN_MQTT, Duration.ofSeconds(1), Duration.ofSeconds(100000), "byebye")));
        assertThat(ConnectionFaults.read(Map.of(ConnectionFaults.TYPE, "KillTcp")))
                .as("timings default to 5 s as in the SDKs' helpers")
                .isEqualTo(new ConnectionFaults.Requested(new ConnectionFaults.Fault(ConnectionFaults.Kind.KILL_TCP,
                        Duration.ofSeconds(5), Duration.ofSeconds(5), "")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KillAmqpConnection", "InvokeThrottling", "killtcp", ""})
    void other_fault_types_and_other_spellings_are_no_fault_over_mqtt(String type) {
        assertThat(ConnectionFaults.read(request(type, "1", "1"))).isInstanceOf(ConnectionFaults.NoFault.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "", " 5", "172801", "99999999999", "٣"})
    void timings_that_are_no_whole_seconds_within_two_days_make_the_request_unreadable(String seconds) {
        assertThat(ConnectionFaults.read(request("KillTcp", seconds, "1"))).isInstanceOf(ConnectionFaults.Unreadable.class);
        assertThat(ConnectionFaults.read(request("KillTcp", "1", seconds))).isInstanceOf(ConnectionFaults.Unreadable.class);
    }

    @Test
    void a_fault_ends_the_connection_after_its_delay_and_refuses_from_then_on_for_its_duration() {
        ConnectionFaults.Fault fault = new ConnectionFaults.Fault(ConnectionFaults.Kind.KILL_TCP, Duration.ZERO,
                Duration.ofSeconds(10), "Boom");

        assertThat(faults.inject("dev1", fault, "m1")).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> ended.equals(List.of("dev1 KILL_TCP")));
        assertThat(faults.refusingUntil("dev1")).contains(clock.instant().plusSeconds(10));
        assertThat(faults.refusingUntil("dev2")).isEmpty();
        clock.advanceSeconds(9);
        assertThat(faults.refusingUntil("dev1")).isPresent();
        clock.advanceSeconds(1);
        assertThat(faults.refusingUntil("dev1")).isEmpty();
        assertThat(faults.inject("dev1", fault, "m1")).as("the same message again").isFalse();
        assertThat(faults.inject("dev1", fault, "m2")).as("a new message").isTrue();
    }

    @Test
    void a_pending_fault_refuses_nothing_yet_and_ignores_further_requests() {
        ConnectionFaults.Fault later = new ConnectionFaults.Fault(ConnectionFaults.Kind.KILL_TCP, Duration.ofHours(1),
                Duration.ofSeconds(10), "");

        assertThat(faults.inject("dev1", later, "m1")).isTrue();
        assertThat(faults.inject("dev1", later, "m2")).isFalse();
        assertThat(faults.refusingUntil("dev1")).isEmpty();
        assertThat(ended).isEmpty();
    }

    @Test
    void dropping_now_replaces_a_pending_fault_and_refuses_for_the_time_asked() {
        faults.inject("dev1", new ConnectionFaults.Fault(ConnectionFaults.Kind.SHUT_DOWN_MQTT, Duration.ofHours(1),
                Duration.ofHours(1), ""), "m1");

        faults.dropNow("dev1", Duration.ofSeconds(3), false);

        assertThat(ended).containsExactly("dev1 KILL_TCP");
        assertThat(faults.refusingUntil("dev1")).contains(clock.instant().plusSeconds(3));
        clock.advanceSeconds(3);
        assertThat(faults.refusingUntil("dev1")).isEmpty();
        assertThatThrownBy(() -> faults.dropNow("dev1", Duration.ofSeconds(-1), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_forgotten_identity_loses_its_pending_fault() throws Exception {
        faults.inject("dev1", new ConnectionFaults.Fault(ConnectionFaults.Kind.KILL_TCP, Duration.ofMillis(200),
                Duration.ofSeconds(10), ""), "m1");

        faults.forget("dev1");

        Thread.sleep(400);
        assertThat(ended).isEmpty();
        assertThat(faults.inject("dev1", new ConnectionFaults.Fault(ConnectionFaults.Kind.KILL_TCP, Duration.ofHours(1),
                Duration.ZERO, ""), "m1")).isTrue();
    }
}
