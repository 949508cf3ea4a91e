package lab.devicetwins.localhub.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.mqtt.MqttEndpoint;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The MQTT session of one client id: its subscriptions (kept across connections when CleanSession is 0, as the device
 * SDK relies on) and the connection that currently holds it.
 */
final class MqttSession {
    final String clientId;
    final Map<String, MqttQoS> subscriptions = new ConcurrentHashMap<>();
    volatile MqttEndpoint endpoint;
    volatile Context context;
    volatile boolean persistent;
    /** When the current connection was accepted, and the keep-alive it asked for: facts for the inspector. */
    volatile Instant connectedSince;
    volatile int keepAliveSeconds;

    MqttSession(String clientId) {
        this.clientId = clientId;
    }

    /** The QoS to deliver at on a topic this session subscribed to, or null when it did not. */
    MqttQoS grantedFor(String filter) {
        return subscriptions.get(filter);
    }

    /** The subscriptions as the store keeps them: topic filter to QoS number. */
    Map<String, Integer> storedSubscriptions() {
        Map<String, Integer> stored = new HashMap<>();
        subscriptions.forEach((filter, qos) -> stored.put(filter, qos.value()));
        return stored;
    }

    /** Replaces the subscriptions with stored ones. */
    void restore(Map<String, Integer> stored) {
        subscriptions.keySet().retainAll(stored.keySet());
        stored.forEach((filter, qos) -> subscriptions.put(filter, MqttQoS.valueOf(qos)));
    }

    /** Runs {@code action} on the connection's own context if the session holds one; it closes nothing itself. */
    void onConnection(Consumer<MqttEndpoint> action) {
        MqttEndpoint current;
        Context currentContext;
        synchronized (this) {
            current = endpoint;
            currentContext = context;
        }
        if (current != null && currentContext != null) {
            currentContext.runOnContext(v -> action.accept(current));
        }
    }
}
