package lab.devicetwins.localhub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.http.ConnectionLimits;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Broken bytes on the MQTT port end the connection that sent them and nothing else: the hub keeps serving, a device
 * connected through the SDK beforehand keeps its connection and its twin, and the stored twin is unchanged.
 */
class MqttWireGarbageTest {
    private static final String BYSTANDER = "wire-bystander";
    private static final String SENDER = "wire-sender";
    /**
     * Far longer than the slowest way a connection here may legitimately end, the 1 s CONNECT timeout configured below,
     * and shorter than the default 30 s, so a hub that ignored the configured timeout fails the test.
     */
    private static final int CLOSE_BOUND_MILLIS = 20_000;

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).seedDevices(List.of(BYSTANDER, SENDER))
            .connectionLimits(ConnectionLimits.defaults().withMqttConnectTimeout(Duration.ofSeconds(1))));

    private static DeviceClient bystander;
    private static final List<IotHubConnectionStatus> bystanderStatuses = new CopyOnWriteArrayList<>();
    private static String storedTwin;

    @BeforeAll
    static void connectBystander() throws Exception {
        OfficialSdks sdks = new OfficialSdks(localHub.hub());
        bystander = sdks.device(BYSTANDER);
        bystander.setConnectionStatusChangeCallback(c -> bystanderStatuses.add(c.getNewStatus()), null);
        bystander.open(false);
        bystander.subscribeToDesiredProperties((twin, ctx) -> { }, null);
        TwinCollection reported = new TwinCollection();
        reported.put("firmware", "1.0.2");
        DeviceTwinRequests.updateReportedProperties(bystander, reported);
        storedTwin = serviceTwin();
    }

    @AfterAll
    static void closeBystander() throws Exception {
        bystander.close();
    }

    /** Version, etag and properties as the service reads them (no connection fields, they move legitimately). */
    private static String serviceTwin() throws Exception {
        var twin = new OfficialSdks(localHub.hub()).twins().get(BYSTANDER);
        JsonObject json = new JsonObject();
        json.addProperty("version", twin.getVersion());
        json.addProperty("etag", twin.getETag());
        json.addProperty("reported", twin.getReportedProperties().toString());
        json.addProperty("desired", twin.getDesiredProperties().toString());
        return json.toString();
    }

    @AfterEach
    void bystanderIsUnaffected() throws Exception {
        assertThat(bystanderStatuses).containsOnly(IotHubConnectionStatus.CONNECTED);
        assertThat(DeviceTwinRequests.getTwin(bystander).getReportedProperties()).containsEntry("firmware", "1.0.2");
        assertThat(serviceTwin()).isEqualTo(storedTwin);
    }

    /** One way of sending garbage; each gets a fresh connection. */
    enum Garbage {
        HTTP_REQUEST_INSTEAD_OF_CONNECT(true, false) {
            @Override
            void send(OutputStream out, InputStream in) throws IOException {
                out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        },
        RANDOM_BYTES_INSTEAD_OF_CONNECT(true, false) {
            @Override
            void send(OutputStream out, InputStream in) throws IOException {
                byte[] noise = new byte[512];
                new Random(3).nextBytes(noise);
                out.write(noise);
            }
        },
        TRUNCATED_CONNECT(true, false) {
            @Override
            void send(OutputStream out, InputStream in) throws IOException {
                byte[] connect = validConnect(SENDER, 230);
                out.write(Arrays.copyOf(connect, connect.length / 2));
            }
        },
        OVERSIZED_CONNECT(true, false) {
            @Override
            void send(OutputStream out, InputStream in) throws IOException {
                out.write(MqttFrames.header(0x10, MqttDeviceEndpoint.MAX_MESSAGE_SIZE + 1));
                writeLeniently(out, new byte[MqttDeviceEndpoint.MAX_MESSAGE_SIZE + 1]);
            }
        },
        PUBLISH_BEFORE_CONNECT(true, false) {
            @Override
            void send(OutputStream out, InputStream in) throws IOException {
                out.write(MqttFrames.publish("$iothub/twin/GET/?$rid=1", new byte[0], 1, 1));
            }
        },
        SUBSCRIBE_BEFORE_CONNECT(true, false) {
            @Override
            void send(OutputStream out, InputStream in) throws IOException {
                out.write(MqttFrames.subscribe(1, "$iothub/twin/res/#"));
            }
        },
        RESERVED_PACKET_TYPE_AFTER_CONNECT(true, true) {
            @Override
            void send(OutputStream out, InputStream in) throws IOException {
                out.write(new byte[] {(byte) 0xF0, 0x00});
            }
        },
        RANDOM_BYTES_AFTER_CONNECT(true, true) {
            @Override
            void send(OutputStream out, InputStream in) throws IOException {
                byte[] noise = new byte[512];
                new Random(5).nextBytes(noise);
                noise[0] = (byte) 0xF3;
                out.write(noise);
            }
        },
        TRUNCATED_PUBLISH_AFTER_CONNECT(true, true) {
            @Override
            void send(OutputStream out, InputStream in) throws IOException {
                byte[] publish = MqttFrames.publish("$iothub/twin/PATCH/properties/reported/?$rid=t",
                        "{\"firmware\":\"evil\"}".getBytes(StandardCharsets.UTF_8), 1, 7);
                out.write(Arrays.copyOf(publish, publish.length - 5));
            }
        },
        OVERSIZED_PUBLISH_AFTER_CONNECT(true, true) {
            @Override
            void send(OutputStream out, InputStream in) throws IOException {
                byte[] payload = new byte[MqttDeviceEndpoint.MAX_MESSAGE_SIZE];
                Arrays.fill(payload, (byte) 'x');
                writeLeniently(out, MqttFrames.publish("devices/" + SENDER + "/messages/events/", payload, 1, 9));
            }
        },
        SECOND_CONNECT_ON_THE_SAME_CONNECTION(true, true) {
            @Override
            void send(OutputStream out, InputStream in) throws IOException {
                out.write(validConnect(SENDER, 230));
            }
        },
        PLAIN_TCP_WITHOUT_TLS(false, false) {
            @Override
            void send(OutputStream out, InputStream in) throws IOException {
                out.write(validConnect(SENDER, 230));
            }
        };

        final boolean tls;
        final boolean afterValidConnect;

        Garbage(boolean tls, boolean afterValidConnect) {
            this.tls = tls;
            this.afterValidConnect = afterValidConnect;
        }

        abstract void send(OutputStream out, InputStream in) throws IOException;
    }

    /** A CONNECT the hub accepts; keep-alive short so a half-sent packet after it times out quickly. */
    static byte[] validConnect(String deviceId, int keepAliveSeconds) {
        LocalHub hub = localHub.hub();
        String token = RawMqttDevice.token(hub, deviceId, RawMqttDevice.primaryKey(hub, deviceId),
                Instant.now().plusSeconds(3600));
        return MqttFrames.connect(deviceId, RawMqttDevice.username(hub, deviceId), token, keepAliveSeconds);
    }

    /** Writes what the hub still takes; it may close the connection before all bytes are in. */
    static void writeLeniently(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // the hub stopped reading: what the test wants to see next anyway
        }
    }

    @ParameterizedTest
    @EnumSource(Garbage.class)
    void the_hub_closes_a_connection_that_sends_garbage_and_serves_everyone_else(Garbage garbage) throws Exception {
        LocalHub hub = localHub.hub();
        try (Socket socket = garbage.tls ? tlsSocket(hub) : new Socket(hub.hostName(), hub.mqttPort())) {
            socket.setSoTimeout(CLOSE_BOUND_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            if (garbage.afterValidConnect) {
                out.write(validConnect(SENDER, 1));
                byte[] connack = in.readNBytes(4);
                assertThat(connack).as("CONNACK accepted").containsExactly(0x20, 0x02, 0x00, 0x00);
            }

            garbage.send(out, in);

            assertThat(closedByHub(in)).as(garbage + " ends the connection").isTrue();
        }
    }

    private static Socket tlsSocket(LocalHub hub) throws IOException {
        SSLSocket socket = (SSLSocket) hub.clientSslContext().getSocketFactory().createSocket(hub.hostName(), hub.mqttPort());
        socket.startHandshake();
        return socket;
    }

    /** Reads until the hub closes (end of stream or a reset); false when it keeps the connection open. */
    private static boolean closedByHub(InputStream in) {
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // whatever the hub still says before closing (e.g. a CONNACK) does not matter here
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
