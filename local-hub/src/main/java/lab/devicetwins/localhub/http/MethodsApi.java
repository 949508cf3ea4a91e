package lab.devicetwins.localhub.http;

import static io.vertx.core.http.HttpMethod.POST;
import static lab.devicetwins.localhub.auth.AccessRight.SERVICE_CONNECT;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import lab.devicetwins.localhub.core.DirectMethods;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.realism.Operation;
import lab.devicetwins.localhub.registry.IdentityKey;

/**
 * Direct methods over REST: {@code POST /twins/{id}/methods} and the module path, with the body
 * {@code {"methodName":…,"payload":…,"responseTimeoutInSeconds":…,"connectTimeoutInSeconds":…}}; the answer is
 * {@code {"status":…,"payload":…}} as the device gave them. A method acts on its identity's resource, as its twin does.
 */
final class MethodsApi {
    private final DirectMethods methods;

    MethodsApi(DirectMethods methods) {
        this.methods = methods;
    }

    /** IoT Hub throttles direct methods by their request, in 4 KB units. */
    private static final Meter METER = new Meter(Operation.DIRECT_METHODS,
            request -> Operation.methodUnits(request.body().length));

    List<ServiceRoute> routes() {
        return ServiceRoute.metered(METER, List.of(
                ServiceRoute.of(POST, "/twins/{id}/methods", SERVICE_CONNECT, "devices/{id}", this::invoke),
                ServiceRoute.of(POST, "/twins/{id}/modules/{mid}/methods", SERVICE_CONNECT,
                        "devices/{id}/modules/{mid}", this::invoke)));
    }

    private CompletableFuture<Reply> invoke(ServiceRequest request) {
        DirectMethods.Call call = parse(RequestJson.parse(request.body()));
        String key = IdentityKey.of(request.param("id"), request.optionalParam("mid"));
        return methods.invoke(key, call).thenApply(result -> {
            JsonObject body = new JsonObject();
            body.addProperty("status", result.status());
            body.add("payload", result.payload());
            return Reply.json(body);
        });
    }

    /**
     * The call a body asks for, with IoT Hub's rules: a method name that fits a topic, timeouts within 5-300 s
     * (response, default 30) and 0-300 s (connect, default 0), a payload of at most 128 KB.
     */
    static DirectMethods.Call parse(JsonElement body) {
        if (body == null || !body.isJsonObject()) {
            throw invalid("the body must be a JSON object {\"methodName\":…,\"payload\":…}");
        }
        JsonObject json = body.getAsJsonObject();
        JsonElement name = json.get("methodName");
        if (name == null || !name.isJsonPrimitive() || !name.getAsJsonPrimitive().isString()
                || name.getAsString().isEmpty()) {
            throw invalid("'methodName' is required: the name of the method to call, a non-empty string");
        }
        String methodName = name.getAsString();
        if (methodName.length() > DirectMethods.MAX_NAME_LENGTH) {
            throw invalid("'methodName' is " + methodName.length() + " characters long; the limit is "
                    + DirectMethods.MAX_NAME_LENGTH);
        }
        for (char c : methodName.toCharArray()) {
            if (c == '/' || c == '#' || c == '+' || c == '?' || c == '$' || c < 0x20 || c > 0x7e) {
                throw invalid("'methodName' may not hold '" + (c < 0x20 || c > 0x7e ? "\\u" + String.format("%04x",
                        (int) c) : String.valueOf(c)) + "': it becomes part of the device's MQTT topic");
            }
        }
        int responseTimeout = seconds(json, "responseTimeoutInSeconds", DirectMethods.DEFAULT_RESPONSE_TIMEOUT,
                DirectMethods.MIN_RESPONSE_TIMEOUT);
        int connectTimeout = seconds(json, "connectTimeoutInSeconds", 0, 0);
        JsonElement payload = json.get("payload");
        if (payload != null) {
            int size = payload.toString().getBytes(StandardCharsets.UTF_8).length;
            if (size > DirectMethods.MAX_PAYLOAD_BYTES) {
                throw new HubException(HubErrorCode.MESSAGE_TOO_LARGE, "the method payload is " + size
                        + " bytes; IoT Hub takes at most " + DirectMethods.MAX_PAYLOAD_BYTES);
            }
        }
        return new DirectMethods.Call(methodName, payload, Duration.ofSeconds(responseTimeout),
                Duration.ofSeconds(connectTimeout));
    }

    private static int seconds(JsonObject json, String member, int absent, int min) {
        JsonElement e = json.get(member);
        if (e == null || e.isJsonNull()) {
            return absent;
        }
        if (!(e instanceof JsonPrimitive p) || !p.isNumber()) {
            throw invalid("'" + member + "' must be a whole number of seconds");
        }
        long value;
        try {
            value = p.getAsBigDecimal().longValueExact();
        } catch (ArithmeticException fraction) {
            throw invalid("'" + member + "' must be a whole number of seconds");
        }
        if (value < min || value > DirectMethods.MAX_TIMEOUT) {
            throw invalid("'" + member + "' is " + value + "; IoT Hub takes " + min + " to "
                    + DirectMethods.MAX_TIMEOUT + " seconds");
        }
        return (int) value;
    }

    private static HubException invalid(String message) {
        return new HubException(HubErrorCode.ARGUMENT_INVALID, message);
    }
}
