package lab.devicetwins.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.List;

/**
 * The request and response a closed-loop client repeats: on the hub a twin operation on IoT Hub's topics, on
 * Mosquitto a publish to a topic the client itself subscribes to (the broker's floor for the same round trip).
 */
interface Exchange {
    String name();

    List<String> subscriptions(String clientId);

    String requestTopic(String clientId, long seq);

    Buffer requestPayload(long seq);

    /** Whether the message is the successful answer to request {@code seq}. */
    boolean answers(MqttPublishMessage message, long seq);

    /** {@code $iothub/twin/GET} answered with 200 and the twin. */
    Exchange TWIN_GET = new Exchange() {
        @Override
        public String name() {
            return "twin GET";
        }

        @Override
        public List<String> subscriptions(String clientId) {
            return List.of("$iothub/twin/res/#");
        }

        @Override
        public String requestTopic(String clientId, long seq) {
            return "$iothub/twin/GET/?$rid=" + seq;
        }

        @Override
        public Buffer requestPayload(long seq) {
            return Buffer.buffer();
        }

        @Override
        public boolean answers(MqttPublishMessage message, long seq) {
            return message.topicName().equals("$iothub/twin/res/200/?$rid=" + seq);
        }
    };

    /** A reported-properties PATCH answered with 204 once committed. */
    Exchange REPORTED_PATCH = new Exchange() {
        @Override
        public String name() {
            return "reported PATCH";
        }

        @Override
        public List<String> subscriptions(String clientId) {
            return List.of("$iothub/twin/res/#");
        }

        @Override
        public String requestTopic(String clientId, long seq) {
            return "$iothub/twin/PATCH/properties/reported/?$rid=" + seq;
        }

        @Override
        public Buffer requestPayload(long seq) {
            return reportedPayload(seq);
        }

        @Override
        public boolean answers(MqttPublishMessage message, long seq) {
            return message.topicName().startsWith("$iothub/twin/res/204/?$rid=" + seq + "&");
        }
    };

    /** Mosquitto: publish to one's own topic and wait for the message to come back; same payload as the PATCH. */
    Exchange ECHO = new Exchange() {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public List<String> subscriptions(String clientId) {
            return List.of("bench/" + clientId);
        }

        @Override
        public String requestTopic(String clientId, long seq) {
            return "bench/" + clientId;
        }

        @Override
        public Buffer requestPayload(long seq) {
            return reportedPayload(seq);
        }

        @Override
        public boolean answers(MqttPublishMessage message, long seq) {
            return message.payload().toString().equals(reportedPayload(seq).toString());
        }
    };

    private static Buffer reportedPayload(long seq) {
        return Buffer.buffer("{\"temperature\":" + (20 + seq % 10) + ",\"seq\":" + seq + "}");
    }
}
