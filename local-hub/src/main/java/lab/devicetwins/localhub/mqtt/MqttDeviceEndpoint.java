package lab.devicetwins.localhub.mqtt;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.MqttTopicSubscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import lab.devicetwins.localhub.auth.Authenticator;
import lab.devicetwins.localhub.auth.DeviceAuthenticationException;
import lab.devicetwins.localhub.auth.DevicePrincipal;
import lab.devicetwins.localhub.core.DeviceDirectory;
import lab.devicetwins.localhub.core.DeviceEvents;
import lab.devicetwins.localhub.core.IdentityRegistry;
import lab.devicetwins.localhub.core.TwinOperations;
import lab.devicetwins.localhub.errors.ErrorBody;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.registry.ConnectionState;
import lab.devicetwins.localhub.store.StoreOp;

/**
 * The device side of the hub: MQTT 3.1.1 over TLS. Translates IoT Hub's twin topics into twin operations and back;
 * no twin rules live here.
 */
public final class MqttDeviceEndpoint implements DeviceEvents {
    private static final Logger LOG = Logger.getLogger(MqttDeviceEndpoint.class.getName());
    /** IoT Hub's largest device-to-cloud message is 256 KB; allow the topic on top. */
    static final int MAX_MESSAGE_SIZE = 256 * 1024 + 4096;

    private final Vertx vertx;
    private final Authenticator authenticator;
    private final IdentityRegistry registry;
    private final TwinOperations twins;
    private final DeviceDirectory directory;
    private final Map<String, MqttSession> sessions = new ConcurrentHashMap<>();
    private MqttServer server;

    public MqttDeviceEndpoint(Vertx vertx, Authenticator authenticator, IdentityRegistry registry, TwinOperations twins,
                              DeviceDirectory directory) {
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.registry = registry;
        this.twins = twins;
        this.directory = directory;
        for (Map.Entry<String, String> stored : directory.store().loadSessions().entrySet()) {
            MqttSession session = new MqttSession(stored.getKey());
            session.persistent = true;
            JsonObject subs = JsonParser.parseString(stored.getValue()).getAsJsonObject();
            for (String filter : subs.keySet()) {
                session.subscriptions.put(filter, MqttQoS.valueOf(subs.get(filter).getAsInt()));
            }
            sessions.put(session.clientId, session);
        }
    }

    /** Binds the listener; completes with the bound port. */
    public Future<Integer> listen(String host, int port, KeyCertOptions serverCertificate, Duration connectTimeout) {
        server = MqttServer.create(vertx, serverOptions(host, port, serverCertificate, connectTimeout));
        server.endpointHandler(this::onConnect).exceptionHandler(e ->
                LOG.log(Level.FINE, "MQTT connection failed before CONNECT: " + e.getMessage()));
        return server.listen().map(MqttServer::actualPort);
    }

    /**
     * TLS only, packets up to {@link #MAX_MESSAGE_SIZE}, {@code connectTimeout} (whole seconds) to send CONNECT, and
     * TCP_NODELAY: twin requests and responses are small, so Nagle's algorithm would hold them back waiting for ACKs.
     */
    static MqttServerOptions serverOptions(String host, int port, KeyCertOptions serverCertificate,
                                           Duration connectTimeout) {
        MqttServerOptions options = new MqttServerOptions()
                .setHost(host)
                .setPort(port)
                .setSsl(true)
                .setKeyCertOptions(serverCertificate)
                .setMaxMessageSize(MAX_MESSAGE_SIZE)
                .setTimeoutOnConnect(Math.toIntExact(connectTimeout.toSeconds()));
        options.setTcpNoDelay(true);
        return options;
    }

    public Future<Void> close() {
        for (MqttSession session : sessions.values()) {
            MqttEndpoint endpoint = session.endpoint;
            if (endpoint != null) {
                // Checked on the connection's own context: a device that disconnects while the hub stops has
                // already closed its endpoint there, and closing it twice throws.
                session.context.runOnContext(v -> {
                    if (endpoint.isConnected()) {
                        endpoint.close();
                    }
                });
            }
        }
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void onConnect(MqttEndpoint endpoint) {
        Context context = Vertx.currentContext();
        String clientId = endpoint.clientIdentifier();
        if (endpoint.protocolVersion() != 4) {
            // an MQTT 5 client reads the CONNACK in its own format, where the refusal is 0x84
            endpoint.reject(endpoint.protocolVersion() == 5
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION
                    : MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
            return;
        }
        if (clientId == null || clientId.isEmpty() || clientId.contains("/")) {
            // device ids only; module identities are not implemented by the local hub
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            return;
        }
        if (endpoint.auth() == null || endpoint.auth().getPassword() == null) {
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            return;
        }
        String username = endpoint.auth().getUsername();
        if (username == null || !usernameNamesClient(username, clientId)) {
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
            return;
        }
        DevicePrincipal principal;
        try {
            principal = authenticator.authenticateDevice(clientId, endpoint.auth().getPassword());
        } catch (DeviceAuthenticationException e) {
            LOG.info("refused MQTT connection of '" + clientId + "': " + e.getMessage());
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            return;
        }

        MqttSession session = sessions.computeIfAbsent(clientId, MqttSession::new);
        MqttEndpoint previous;
        boolean sessionPresent;
        synchronized (session) {
            previous = session.endpoint;
            Context previousContext = session.context;
            if (previous != null && previousContext != null) {
                // one connection per device: the new one wins, as on IoT Hub
                previousContext.runOnContext(v -> {
                    if (previous.isConnected()) {
                        previous.close();
                    }
                });
            }
            if (endpoint.isCleanSession()) {
                sessionPresent = false;
                session.subscriptions.clear();
                if (session.persistent) {
                    session.persistent = false;
                    directory.submit(new StoreOp.DeleteSession(clientId));
                }
            } else {
                sessionPresent = !session.subscriptions.isEmpty();
                session.persistent = true;
            }
            session.endpoint = endpoint;
            session.context = context;
        }

        endpoint.publishAutoAck(false);
        endpoint.subscribeHandler(msg -> onSubscribe(session, endpoint, msg));
        endpoint.unsubscribeHandler(msg -> {
            msg.topics().forEach(session.subscriptions::remove);
            persist(session).whenComplete((x, e) -> context.runOnContext(v -> endpoint.unsubscribeAcknowledge(msg.messageId())));
        });
        endpoint.publishHandler(msg -> onPublish(session, endpoint, context, msg));
        endpoint.exceptionHandler(e -> {
            LOG.log(Level.FINE, "MQTT connection of '" + clientId + "' failed: " + e.getMessage());
            endpoint.close();
        });
        endpoint.closeHandler(v -> onClose(session, endpoint));
        // recorded before the CONNACK, so whoever hears "connected" from the device finds the registry agreeing
        registry.connectionChanged(clientId, ConnectionState.CONNECTED);
        endpoint.accept(sessionPresent);

        // IoT Hub closes the connection when the token expires; the SDK then reconnects with a fresh one.
        long millis = Duration.between(Instant.now(), principal.tokenExpiry()).toMillis();
        if (millis > 0 && millis < Long.MAX_VALUE / 2) {
            long timer = vertx.setTimer(Math.max(1, millis), t -> {
                if (endpoint.isConnected()) {
                    LOG.info("closing MQTT connection of '" + clientId + "': its SAS token expired");
                    endpoint.close();
                }
            });
            endpoint.closeHandler(v -> {
                vertx.cancelTimer(timer);
                onClose(session, endpoint);
            });
        }
    }

    /** {@code {hostname}/{clientId}/?api-version=…}; the host part is not compared (gateways rewrite it). */
    private static boolean usernameNamesClient(String username, String clientId) {
        int query = username.indexOf("/?");
        String path = query >= 0 ? username.substring(0, query) : username;
        return path.endsWith("/" + clientId);
    }

    private void onClose(MqttSession session, MqttEndpoint endpoint) {
        boolean wasCurrent;
        synchronized (session) {
            wasCurrent = session.endpoint == endpoint;
            if (wasCurrent) {
                session.endpoint = null;
                session.context = null;
                if (!session.persistent) {
                    // MQTT 3.1.1: a CleanSession=1 session lasts as long as its connection
                    session.subscriptions.clear();
                }
            }
        }
        if (wasCurrent) {
            registry.connectionChanged(session.clientId, ConnectionState.DISCONNECTED);
        }
    }

    private void onSubscribe(MqttSession session, MqttEndpoint endpoint, MqttSubscribeMessage msg) {
        List<MqttQoS> granted = new ArrayList<>();
        for (MqttTopicSubscription sub : msg.topicSubscriptions()) {
            String filter = sub.topicName();
            if (TwinTopics.maySubscribe(session.clientId, filter)) {
                // IoT Hub grants at most QoS 1
                MqttQoS qos = sub.qualityOfService() == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
                session.subscriptions.put(filter, qos);
                granted.add(qos);
            } else {
                LOG.info("refused subscription of '" + session.clientId + "' to '" + filter + "'");
                granted.add(MqttQoS.FAILURE);
            }
        }
        Context context = Vertx.currentContext();
        persist(session).whenComplete((x, e) -> context.runOnContext(v -> {
            if (endpoint.isConnected()) {
                endpoint.subscribeAcknowledge(msg.messageId(), granted);
            }
        }));
    }

    private CompletableFuture<Void> persist(MqttSession session) {
        if (!session.persistent) {
            return CompletableFuture.completedFuture(null);
        }
        JsonObject subs = new JsonObject();
        session.subscriptions.forEach((filter, qos) -> subs.addProperty(filter, qos.value()));
        return directory.submit(new StoreOp.SaveSession(session.clientId, subs.toString()));
    }

    private void onPublish(MqttSession session, MqttEndpoint endpoint, Context context, MqttPublishMessage msg) {
        String deviceId = session.clientId;
        if (msg.qosLevel() == MqttQoS.EXACTLY_ONCE) {
            LOG.info("closing MQTT connection of '" + deviceId + "': IoT Hub does not support QoS 2");
            endpoint.close();
            return;
        }
        Optional<TwinTopics.Request> request = TwinTopics.parse(deviceId, msg.topicName());
        if (request.isEmpty()) {
            LOG.info("closing MQTT connection of '" + deviceId + "': it may not publish to '" + msg.topicName() + "'");
            endpoint.close();
            return;
        }
        registry.activity(deviceId);
        if (msg.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            endpoint.publishAcknowledge(msg.messageId());
        }
        TwinTopics.Request r = request.get();
        if (r instanceof TwinTopics.GetTwin get) {
            JsonObject properties;
            try {
                properties = twins.deviceView(deviceId);
            } catch (HubException e) {
                respond(session, endpoint, e.errorCode().status(), get.rid(), null,
                        ErrorBody.flat(e.errorCode(), e.getMessage()));
                return;
            }
            respond(session, endpoint, 200, get.rid(), null, properties);
        } else if (r instanceof TwinTopics.PatchReported patch) {
            onReportedPatch(session, endpoint, context, msg, patch);
        }
        // telemetry and method responses: acknowledged and dropped (see docs/differences-from-iot-hub.md)
    }

    private void onReportedPatch(MqttSession session, MqttEndpoint endpoint, Context context, MqttPublishMessage msg,
                                 TwinTopics.PatchReported patch) {
        JsonObject body;
        try {
            JsonElement parsed = JsonParser.parseString(msg.payload().toString(StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw new HubException(HubErrorCode.ARGUMENT_INVALID, "reported properties must be a JSON object");
            }
            body = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            respond(session, endpoint, 400, patch.rid(), null, ErrorBody.flat(HubErrorCode.ARGUMENT_INVALID,
                    "the reported properties are not valid JSON: " + e.getMessage()));
            return;
        } catch (HubException e) {
            respond(session, endpoint, 400, patch.rid(), null, ErrorBody.flat(e.errorCode(), e.getMessage()));
            return;
        }
        CompletableFuture<Long> result;
        try {
            result = twins.patchReported(session.clientId, body, patch.version());
        } catch (HubException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((version, failure) -> context.runOnContext(v -> {
            if (failure == null) {
                respond(session, endpoint, 204, patch.rid(), version, null);
            } else {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                HubErrorCode code = cause instanceof HubException he ? he.errorCode() : HubErrorCode.SERVER_ERROR;
                respond(session, endpoint, code.status(), patch.rid(), null, ErrorBody.flat(code, cause.getMessage()));
            }
        }));
    }

    /**
     * Sends a twin response at QoS 0, whatever the request's QoS, as IoT Hub does (the Java SDK's source says so).
     * At QoS 1, iot-device-client 2.5.0 lost 0.6 to 2.4 % of getTwin responses from this hub and every call waited
     * on an extra PUBACK round trip; at QoS 0 losses became rare (none in thousands; see
     * docs/differences-from-iot-hub.md). The request's PUBACK has already gone out, so the SDK sees ack, then response.
     */
    private void respond(MqttSession session, MqttEndpoint endpoint, int status, String rid, Long version,
                         JsonObject body) {
        if (session.grantedFor(TwinTopics.RESPONSE_FILTER) == null || !endpoint.isConnected()) {
            return; // not subscribed to responses: nothing would be delivered
        }
        Buffer payload = body == null ? Buffer.buffer() : Buffer.buffer(body.toString());
        endpoint.publish(TwinTopics.response(status, rid, version), payload, MqttQoS.AT_MOST_ONCE, false, false);
    }

    /**
     * Closes the device's current connection without an MQTT goodbye, as a network failure would; its session (and
     * its subscriptions, when CleanSession was 0) stays for the reconnect. Does nothing when the device is not
     * connected.
     */
    public void dropConnection(String deviceId) {
        MqttSession session = sessions.get(deviceId);
        if (session == null) {
            return;
        }
        MqttEndpoint endpoint;
        Context context;
        synchronized (session) {
            endpoint = session.endpoint;
            context = session.context;
        }
        if (endpoint != null && context != null) {
            LOG.info("dropping the MQTT connection of '" + deviceId + "' on request");
            context.runOnContext(v -> {
                if (endpoint.isConnected()) {
                    endpoint.close();
                }
            });
        }
    }

    @Override
    public void desiredPropertiesChanged(String deviceId, JsonObject notification) {
        MqttSession session = sessions.get(deviceId);
        if (session == null) {
            return;
        }
        MqttEndpoint endpoint = session.endpoint;
        Context context = session.context;
        MqttQoS granted = session.grantedFor(TwinTopics.DESIRED_FILTER);
        if (endpoint == null || context == null || granted == null) {
            return; // IoT Hub sends desired notifications only to connected, subscribed devices
        }
        long version = notification.get("$version").getAsLong();
        Buffer payload = Buffer.buffer(notification.toString());
        context.runOnContext(v -> {
            if (endpoint.isConnected()) {
                endpoint.publish(TwinTopics.desiredNotification(version), payload, granted, false, false);
            }
        });
    }

    @Override
    public void deviceAccessRevoked(String deviceId) {
        MqttSession session = sessions.get(deviceId);
        if (session == null) {
            return;
        }
        MqttEndpoint endpoint = session.endpoint;
        Context context = session.context;
        if (endpoint != null && context != null) {
            context.runOnContext(v -> endpoint.close());
        }
        if (registry.get(deviceId).isEmpty()) {
            sessions.remove(deviceId);
        }
    }
}
