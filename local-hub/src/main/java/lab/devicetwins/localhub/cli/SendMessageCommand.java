package lab.devicetwins.localhub.cli;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code send-message}: queues a cloud-to-device message for a device of the running hub, through its HTTPS API
 * ({@code POST /localhub/devices/{id}/messages/devicebound}); the device gets it over MQTT when it is connected.
 */
@Command(name = "send-message", mixinStandardHelpOptions = true,
        description = "Send a cloud-to-device message to a device of the running hub: queued until the device takes "
                + "it over MQTT (its SDK's message callback).")
final class SendMessageCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "deviceId", description = "the device to send to")
    String deviceId;

    @Parameters(index = "1", paramLabel = "text", description = "the message body, sent as UTF-8")
    String text;

    @Option(names = "--property", paramLabel = "NAME=VALUE", description = "an application property; repeatable")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--message-id", paramLabel = "ID", description = "the message id (default: one the hub makes)")
    String messageId;

    @Option(names = "--correlation-id", paramLabel = "ID", description = "the correlation id")
    String correlationId;

    @Option(names = "--content-type", paramLabel = "TYPE", description = "the content type, e.g. application/json")
    String contentType;

    @Option(names = "--ttl", paramLabel = "SECONDS", description = "how long the message waits for the device "
            + "(default: 3600, at most 172800)")
    Long ttlSeconds;

    @Option(names = "--data-dir", description = "the running hub's data directory, holding its hub.env "
            + "(default: ${DEFAULT-VALUE})", defaultValue = ".localhub")
    Path dataDir;

    @Override
    public Integer call() {
        JsonObject body = new JsonObject();
        body.addProperty("body", text);
        body.addProperty("messageId", messageId);
        body.addProperty("correlationId", correlationId);
        body.addProperty("contentType", contentType);
        if (!properties.isEmpty()) {
            JsonObject props = new JsonObject();
            properties.forEach(props::addProperty);
            body.add("properties", props);
        }
        if (ttlSeconds != null) {
            if (ttlSeconds <= 0 || ttlSeconds > 172_800) {
                System.err.println("local-hub: --ttl must be from 1 to 172800 seconds (two days)");
                return 2;
            }
            body.addProperty("expiryTimeUtc", Instant.now().plusSeconds(ttlSeconds).toString());
        }
        return RunningHub.call(dataDir, "/localhub/devices/" + RunningHub.segment(deviceId) + "/messages/devicebound",
                body.toString(), sent -> System.out.println("Queued message " + sent.get("messageId").getAsString()
                        + " for '" + deviceId + "' until " + sent.get("expiryTimeUtc").getAsString() + "."));
    }
}
