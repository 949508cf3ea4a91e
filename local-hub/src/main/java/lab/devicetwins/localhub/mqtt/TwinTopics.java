package lab.devicetwins.localhub.mqtt;

import java.util.Optional;
import lab.devicetwins.localhub.messaging.CloudToDeviceMessage;
import lab.devicetwins.localhub.registry.IdentityKey;

/**
 * The IoT Hub MQTT topic names a device or module uses for its twin, and the ones the hub answers on (a module's
 * twin topics are a device's: the connection's identity tells them apart). Parsing is strict about
 * what the SDKs rely on ({@code $rid} first in responses) and liberal about what they send.
 */
final class TwinTopics {
    static final String RESPONSE_FILTER = "$iothub/twin/res/#";
    static final String DESIRED_FILTER = "$iothub/twin/PATCH/properties/desired/#";
    static final String METHODS_FILTER = "$iothub/methods/POST/#";
    private static final String GET_PREFIX = "$iothub/twin/GET/";
    private static final String REPORTED_PREFIX = "$iothub/twin/PATCH/properties/reported/";
    private static final String METHOD_RESPONSE_PREFIX = "$iothub/methods/res/";

    private TwinTopics() {
    }

    /**
     * The topic root of an identity: {@code devices/{d}}, or {@code devices/{d}/modules/{m}} for a module's client id
     * ({@code {d}/{m}}).
     */
    static String root(String clientId) {
        return IdentityKey.isModule(clientId)
                ? "devices/" + IdentityKey.deviceId(clientId) + "/modules/" + IdentityKey.moduleId(clientId)
                : "devices/" + clientId;
    }

    static String cloudToDeviceFilter(String clientId) {
        return root(clientId) + "/messages/devicebound/#";
    }

    /**
     * Whether a device or module may subscribe to the filter (the documented ones only; a module's Node client
     * subscribes to its {@code inputs/#}).
     */
    static boolean maySubscribe(String clientId, String filter) {
        return filter.equals(RESPONSE_FILTER) || filter.equals(DESIRED_FILTER) || filter.equals(METHODS_FILTER)
                || filter.equals(cloudToDeviceFilter(clientId))
                || (IdentityKey.isModule(clientId) && filter.equals(root(clientId) + "/inputs/#"));
    }

    /** What a device's publish asks for. */
    sealed interface Request {
    }

    record GetTwin(String rid) implements Request {
    }

    record PatchReported(String rid, Long version) implements Request {
    }

    /** A device-to-cloud message, with the property bag of its topic (empty when it has none). */
    record Telemetry(String properties) implements Request {
    }

    /**
     * A device's answer to a direct method call: the status it chose (null when the topic's status is no whole
     * number) and the request id ({@code $rid}) it answers.
     */
    record MethodResponse(Integer status, String rid) implements Request {
    }

    /** Empty when the topic is not one this device may publish to. */
    static Optional<Request> parse(String deviceId, String topic) {
        if (topic.startsWith(GET_PREFIX)) {
            return query(topic.substring(GET_PREFIX.length())).flatMap(q -> q.rid() == null ? Optional.empty()
                    : Optional.of(new GetTwin(q.rid())));
        }
        if (topic.startsWith(REPORTED_PREFIX)) {
            return query(topic.substring(REPORTED_PREFIX.length())).flatMap(q -> q.rid() == null ? Optional.empty()
                    : Optional.of(new PatchReported(q.rid(), q.version())));
        }
        String events = root(deviceId) + "/messages/events";
        if (topic.startsWith(events + "/")) {
            return Optional.of(new Telemetry(topic.substring(events.length() + 1)));
        }
        if (topic.equals(events)) {
            return Optional.of(new Telemetry(""));
        }
        if (topic.startsWith(METHOD_RESPONSE_PREFIX)) {
            return Optional.of(methodResponse(topic.substring(METHOD_RESPONSE_PREFIX.length())));
        }
        return Optional.empty();
    }

    /** {@code {status}/?$rid={rid}}; what cannot be read becomes null (the answer is then dropped). */
    private static MethodResponse methodResponse(String rest) {
        int slash = rest.indexOf('/');
        Integer status = null;
        if (slash > 0) {
            try {
                status = Integer.parseInt(rest.substring(0, slash));
            } catch (NumberFormatException e) {
                status = null;
            }
        }
        String rid = slash < 0 ? null : query(rest.substring(slash + 1)).map(Query::rid).orElse(null);
        return new MethodResponse(status, rid);
    }

    /** {@code $iothub/methods/POST/{name}/?$rid={rid}}: a direct method call to the device. */
    static String methodRequest(String methodName, String rid) {
        return "$iothub/methods/POST/" + methodName + "/?$rid=" + rid;
    }

    private record Query(String rid, Long version) {
    }

    /** Reads {@code ?$rid=…&$version=…} in any order; a bad {@code $version} makes the topic invalid. */
    private static Optional<Query> query(String rest) {
        if (!rest.startsWith("?")) {
            return Optional.empty();
        }
        String rid = null;
        Long version = null;
        for (String pair : rest.substring(1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            if (key.equals("$rid")) {
                rid = value;
            } else if (key.equals("$version")) {
                try {
                    version = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new Query(rid == null || rid.isEmpty() ? null : rid, version));
    }

    /** {@code $iothub/twin/res/{status}/?$rid={rid}[&$version={n}]} — {@code $rid} first, as the Java SDK requires. */
    static String response(int status, String rid, Long version) {
        return "$iothub/twin/res/" + status + "/?$rid=" + rid + (version == null ? "" : "&$version=" + version);
    }

    /**
     * {@code devices/{d}/messages/devicebound/{properties}}: system properties first ({@code $.mid} always, so the Java
     * SDK, which reads properties from the first {@code %24}, finds them), then {@code iothub-ack}, then the
     * application properties in their order; names and values percent-encoded.
     */
    static String devicebound(CloudToDeviceMessage message) {
        StringBuilder topic = new StringBuilder("devices/").append(message.deviceId()).append("/messages/devicebound/");
        topic.append("%24.mid=").append(MessageProperties.encode(message.messageId()));
        topic.append("&%24.to=").append(MessageProperties.encode("/devices/" + message.deviceId()
                + "/messages/devicebound"));
        systemProperty(topic, "cid", message.correlationId());
        systemProperty(topic, "ct", message.contentType());
        systemProperty(topic, "ce", message.contentEncoding());
        topic.append("&iothub-ack=").append(MessageProperties.encode(message.ack()));
        message.properties().forEach((name, value) -> topic.append('&').append(MessageProperties.encode(name))
                .append('=').append(MessageProperties.encode(value)));
        return topic.toString();
    }

    private static void systemProperty(StringBuilder topic, String name, String value) {
        if (value != null) {
            topic.append("&%24.").append(name).append('=').append(MessageProperties.encode(value));
        }
    }

    static String desiredNotification(long version) {
        return "$iothub/twin/PATCH/properties/desired/?$version=" + version;
    }
}
