package lab.devicetwins.localhub.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.mqtt.MqttEndpoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    MqttSession(String clientId) {
        this.clientId = clientId;
    }

    /** The QoS to deliver at on a topic this session subscribed to, or null when it did not. */
    MqttQoS grantedFor(String filter) {
        return subscriptions.get(filter);
    }
}
