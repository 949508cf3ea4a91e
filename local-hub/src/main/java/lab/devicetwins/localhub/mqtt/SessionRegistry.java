package lab.devicetwins.localhub.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.mqtt.MqttEndpoint;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import lab.devicetwins.localhub.core.DeviceDirectory;

/**
 * The MQTT sessions of the hub, by client id: create or reopen on CONNECT (one connection per identity, the newest
 * wins), CleanSession semantics, persistence of the subscriptions of persistent sessions, and the end of a
 * connection. Subscriptions of a CleanSession=0 session survive reconnects and restarts, as the device SDK relies on
 * (it does not subscribe to desired properties again after a reconnect).
 */
final class SessionRegistry {
    private final Map<String, MqttSession> sessions = new ConcurrentHashMap<>();
    private final DeviceDirectory directory;

    /** A session taken by a new connection. */
    record Opened(MqttSession session, boolean sessionPresent) {
    }

    SessionRegistry(DeviceDirectory directory) {
        this.directory = directory;
        directory.storedSessions().forEach((clientId, subscriptions) -> {
            MqttSession session = new MqttSession(clientId);
            session.persistent = true;
            session.restore(subscriptions);
            sessions.put(clientId, session);
        });
        directory.setSessionRestorer(this::restore);
    }

    /**
     * Gives the client id's session to a new connection. A connection that held it is closed (IoT Hub allows one
     * connection per device); CleanSession=1 drops what the session held, also from the store.
     */
    Opened open(String clientId, boolean cleanSession, MqttEndpoint endpoint, Context context) {
        MqttSession session = sessions.computeIfAbsent(clientId, MqttSession::new);
        synchronized (session) {
            MqttEndpoint previous = session.endpoint;
            Context previousContext = session.context;
            if (previous != null && previousContext != null) {
                previousContext.runOnContext(v -> {
                    if (previous.isConnected()) {
                        previous.close();
                    }
                });
            }
            boolean sessionPresent;
            if (cleanSession) {
                sessionPresent = false;
                session.subscriptions.clear();
                if (session.persistent) {
                    session.persistent = false;
                    directory.deleteSession(clientId);
                }
            } else {
                sessionPresent = !session.subscriptions.isEmpty();
                session.persistent = true;
            }
            session.endpoint = endpoint;
            session.context = context;
            return new Opened(session, sessionPresent);
        }
    }

    /**
     * A connection ended. Returns true when it was the session's current one (a connection taken over by a newer one
     * ends too, but the device is still connected).
     */
    boolean closed(MqttSession session, MqttEndpoint endpoint) {
        synchronized (session) {
            if (session.endpoint != endpoint) {
                return false;
            }
            session.endpoint = null;
            session.context = null;
            if (!session.persistent) {
                // MQTT 3.1.1: a CleanSession=1 session lasts as long as its connection
                session.subscriptions.clear();
            }
            return true;
        }
    }

    /**
     * Adds subscriptions and persists the session; completes once committed (at once for a CleanSession=1 session).
     * When the commit fails, the store's state is put back by {@link #restore} and the future fails: the caller
     * must not acknowledge what was not kept.
     */
    CompletableFuture<Void> subscribe(MqttSession session, Map<String, MqttQoS> granted) {
        session.subscriptions.putAll(granted);
        return persist(session);
    }

    /** Removes subscriptions and persists the session, as {@link #subscribe}. */
    CompletableFuture<Void> unsubscribe(MqttSession session, List<String> filters) {
        filters.forEach(session.subscriptions::remove);
        return persist(session);
    }

    private CompletableFuture<Void> persist(MqttSession session) {
        if (!session.persistent) {
            return CompletableFuture.completedFuture(null);
        }
        return directory.saveSession(session.clientId, session.storedSubscriptions());
    }

    /** After a failed commit: the session's subscriptions become what the store holds. */
    private void restore(String clientId) {
        MqttSession session = sessions.get(clientId);
        if (session == null) {
            return;
        }
        Optional<Map<String, Integer>> stored = directory.storedSession(clientId);
        synchronized (session) {
            if (session.persistent) {
                session.restore(stored.orElse(Map.of()));
            }
        }
    }

    Optional<MqttSession> find(String clientId) {
        return Optional.ofNullable(sessions.get(clientId));
    }

    /** The identity is gone from the registry: its session goes too. */
    void forget(String clientId) {
        sessions.remove(clientId);
    }

    Collection<MqttSession> all() {
        return sessions.values();
    }
}
