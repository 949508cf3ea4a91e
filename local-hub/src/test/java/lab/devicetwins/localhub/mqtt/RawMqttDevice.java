package lab.devicetwins.localhub.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.auth.SasToken;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A device that speaks MQTT to the hub with plain Paho instead of the device SDK, so a test controls every packet:
 * client id, username, SAS token, CleanSession, QoS, topics and payloads. Real TLS (the hub's CA), real SAS tokens.
 */
public final class RawMqttDevice implements AutoCloseable {
    /** A publish the hub sent to this device; {@code payloadBytes} as they came, {@code payload} decoded as UTF-8. */
    public record Received(String topic, String payload, int qos, byte[] payloadBytes) {
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final LocalHub hub;
    private final String clientId;
    private final MqttAsyncClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Throwable> lost = new CompletableFuture<>();

    /** A device that has not connected yet; {@link #connect(boolean)} connects it. */
    public RawMqttDevice(LocalHub hub, String clientId) throws MqttException {
        this(hub, clientId, "ssl://" + hub.hostName() + ":" + hub.mqttPort());
    }

    /**
     * As {@link #RawMqttDevice(LocalHub, String)}, to another server URI, e.g. MQTT over WebSockets:
     * {@code wss://{host}:443/$iothub/websocket}.
     */
    public RawMqttDevice(LocalHub hub, String clientId, String serverUri) throws MqttException {
        this.hub = hub;
        this.clientId = clientId;
        this.client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.complete(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                        message.getQos(), message.getPayload()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    /** The key the hub holds for a device, read from its connection string. */
    public static String primaryKey(LocalHub hub, String deviceId) {
        String cs = hub.deviceConnectionString(deviceId);
        return cs.substring(cs.indexOf("SharedAccessKey=") + "SharedAccessKey=".length());
    }

    /** A device-key token for {@code deviceId}, as the IoT Hub docs describe it. */
    public static String token(LocalHub hub, String deviceId, String key, Instant expiry) {
        return SasToken.create(hub.hostName() + "/devices/" + deviceId, key, null, expiry);
    }

    /** The username of the Java device SDK. */
    public static String username(LocalHub hub, String clientId) {
        return hub.hostName() + "/" + clientId + "/?api-version=2020-09-30&DeviceClientType=raw-paho-test";
    }

    /** Connect options as the SDK sets them: MQTT 3.1.1, the hub's CA, username + SAS password. */
    public MqttConnectOptions options(String password, boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setSocketFactory(hub.clientSslContext().getSocketFactory());
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout((int) WAIT.toSeconds());
        options.setKeepAliveInterval(230);
        options.setUserName(username(hub, clientId));
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        return options;
    }

    /** Connects with a valid one-hour token; returns the CONNACK's session-present flag. */
    public boolean connect(boolean cleanSession) throws MqttException {
        return connect(options(token(hub, clientId, primaryKey(hub, clientId), Instant.now().plusSeconds(3600)),
                cleanSession));
    }

    public boolean connect(MqttConnectOptions options) throws MqttException {
        IMqttToken token = client.connect(options);
        token.waitForCompletion(WAIT.toMillis());
        return token.getSessionPresent();
    }

    /** Subscribes at QoS 1; returns the granted QoS per filter as the SUBACK carried them (0x80 = refused). */
    public int[] subscribe(String... filters) throws MqttException {
        int[] qos = new int[filters.length];
        Arrays.fill(qos, 1);
        return subscribe(filters, qos);
    }

    public int[] subscribe(String[] filters, int[] qos) throws MqttException {
        IMqttToken token = client.subscribe(filters, qos);
        token.waitForCompletion(WAIT.toMillis());
        return token.getGrantedQos();
    }

    /** Publishes and, for QoS 1, waits for the PUBACK. */
    public void publish(String topic, String payload, int qos) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(qos);
        client.publish(topic, message).waitForCompletion(WAIT.toMillis());
    }

    /** Publishes bytes exactly as given (broken UTF-8 included) and, for QoS 1, waits for the PUBACK. */
    public void publish(String topic, byte[] payload, int qos) throws MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        client.publish(topic, message).waitForCompletion(WAIT.toMillis());
    }

    /** The response on a twin response topic for {@code rid}; null when none comes within {@code bound}. */
    public Received nextResponse(String rid, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            Received r = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r == null) {
                return null;
            }
            if (r.topic().startsWith("$iothub/twin/res/") && r.topic().contains("?$rid=" + rid)) {
                return r;
            }
        }
    }

    /** Publishes at QoS 1 without waiting for the PUBACK (the hub may close the connection instead). */
    public void publishNoWait(String topic, String payload, int qos) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(qos);
        client.publish(topic, message);
    }

    /** The next publish from the hub; fails the test when none comes within 30 s. */
    public Received next() throws InterruptedException {
        Received r = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError(clientId + " received nothing from the hub within " + WAIT);
        }
        return r;
    }

    /** The next publish on a response topic for {@code rid}, skipping anything else. */
    public Received nextResponse(String rid) throws InterruptedException {
        while (true) {
            Received r = next();
            if (r.topic().startsWith("$iothub/twin/res/") && r.topic().contains("?$rid=" + rid)) {
                return r;
            }
        }
    }

    /** Everything received so far, without waiting. */
    public List<Received> drain() {
        List<Received> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }

    /** GET of the twin at QoS 1 with an empty payload, as the Java SDK sends it; returns the response. */
    public Received getTwin(String rid) throws MqttException, InterruptedException {
        publish("$iothub/twin/GET/?$rid=" + rid, "", 1);
        return nextResponse(rid);
    }

    /** Sends an UNSUBSCRIBE without waiting for the UNSUBACK (the hub may close the connection instead). */
    void unsubscribeNoWait(String filter) throws MqttException {
        client.unsubscribe(filter);
    }

    public CompletableFuture<Throwable> connectionLost() {
        return lost;
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    public void disconnect() throws MqttException {
        client.disconnect().waitForCompletion(WAIT.toMillis());
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            try {
                // no work to wait for: a test ends with its answers received, so only the DISCONNECT goes out
                client.disconnectForcibly(0, 200);
            } catch (MqttException e) {
                // already gone
            }
        }
        client.close(true);
    }
}
