package lab.devicetwins.bench;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.auth.SasToken;
import lab.devicetwins.localhub.process.LocalHubProcess;

/**
 * One side of a comparison: where the load generator connects and who it says it is. Both sides get real TLS with
 * host-name verification against their own CA; the hub also gets a real SAS token per device.
 *
 * @param side  {@code hub} or {@code mosquitto}
 * @param pid   the server process, for CPU and memory figures
 */
record Broker(String side, String host, int port, Path caPem, long pid, boolean hub) {

    static Broker hub(BenchEnvironment bench, LocalHubProcess process) {
        HubEnvFile env = process.hubEnv();
        return new Broker("hub", bench.hubHost(), env.port(HubEnvFile.MQTT_PORT).orElseThrow(),
                env.path(HubEnvFile.CA_PEM).orElseThrow(), process.pid(), true);
    }

    static Broker mosquitto(BenchEnvironment bench) {
        return new Broker("mosquitto", bench.mosquittoHost(), BenchEnvironment.MQTT_PORT, bench.mosquittoCa(),
                bench.requireMosquittoPid(), false);
    }

    /** Client {@code i}: device {@code bench-0000i} with a one-hour SAS token on the hub; an anonymous client on Mosquitto. */
    MqttClientOptions clientOptions(int i) {
        MqttClientOptions options = new MqttClientOptions();
        options.setSsl(true);
        options.setTrustOptions(new PemTrustOptions().addCertPath(caPem.toString()));
        options.setHostnameVerificationAlgorithm("HTTPS");
        options.setTcpNoDelay(true);
        options.setCleanSession(true);
        options.setKeepAliveInterval(240);
        options.setMaxInflightQueue(100);
        options.setMaxMessageSize(270_000);
        if (hub) {
            String deviceId = BenchDevices.mqttDeviceId(i);
            options.setClientId(deviceId);
            options.setUsername(host + "/" + deviceId + "/?api-version=2021-04-12");
            options.setPassword(SasToken.create(host + "/devices/" + deviceId, BenchDevices.key(deviceId), null,
                    Instant.now().plus(Duration.ofHours(1))));
        } else {
            options.setClientId("bench-client-" + i);
        }
        return options;
    }
}
