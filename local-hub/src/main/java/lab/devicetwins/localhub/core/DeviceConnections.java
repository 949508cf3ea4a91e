package lab.devicetwins.localhub.core;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The current device connections, as facts for someone watching them (the inspector); the MQTT endpoint implements it. */
public interface DeviceConnections {

    /**
     * One connection: when it was accepted, the keep-alive the client asked for (seconds, 0: none), whether its session
     * is clean, and the topic filters it is subscribed to with their granted QoS.
     */
    record Connection(Instant since, int keepAliveSeconds, boolean cleanSession, Map<String, Integer> subscriptions) {
        public Connection {
            subscriptions = Map.copyOf(subscriptions);
        }
    }

    /** The identity's current connection; empty when it is not connected. */
    Optional<Connection> connection(String key);

    DeviceConnections NONE = new DeviceConnections() {
        @Override
        public Optional<Connection> connection(String key) {
            return Optional.empty();
        }
    };
}
