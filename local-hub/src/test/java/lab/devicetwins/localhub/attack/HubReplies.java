package lab.devicetwins.localhub.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every answer of the hub must be, whatever was asked: never a 5xx for what a client sent, a body that is strict
 * JSON, errors in IoT Hub's nested form ({@code {"Message":"{\"errorCode\":…}","ExceptionMessage":""}}), and no
 * trace of the hub's insides (Java class names, stack lines) in what goes back.
 */
public final class HubReplies {
    /**
     * Package names of the hub and its libraries, {@code …Exception} class names and {@code at a.b.C(…)} stack lines.
     * The nested error body's own key {@code ExceptionMessage} is taken out before matching.
     */
    private static final Pattern JAVA_INSIDES = Pattern.compile("java\\.|javax\\.|lab\\.devicetwins|io\\.vertx|io\\.netty"
            + "|com\\.google\\.|org\\.sqlite|org\\.antlr|[A-Za-z]*Exception\\b|\\bat [\\w$]+(\\.[\\w$<>]+)+\\(");

    private HubReplies() {
    }

    /** Status and the start of the body, for assertion messages. */
    public static String text(HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        return response.statusCode() + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }

    /**
     * Checks the rules every answer obeys and returns the parsed body, or null when there is none.
     */
    public static JsonElement assertWellFormed(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as("no 5xx for what a client sent: %s", text(response)).isLessThan(500);
        JsonElement body = null;
        if (response.body().length > 0) {
            body = strictJson(response.body(), text(response));
        }
        if (response.statusCode() >= 400) {
            assertNoJavaInsides(new String(response.body(), StandardCharsets.UTF_8));
            if (response.statusCode() == 400 && isBulkResult(body)) {
                return body;
            }
            innerError(body, text(response));
        }
        return body;
    }

    /**
     * The one 400 that is not in the nested error form: a bulk registry call with failed items answers with its
     * BulkRegistryOperationResult, {@code isSuccessful} false and an error per failed item.
     */
    private static boolean isBulkResult(JsonElement body) {
        if (body == null || !body.isJsonObject() || !body.getAsJsonObject().has("isSuccessful")) {
            return false;
        }
        JsonObject result = body.getAsJsonObject();
        assertThat(result.get("isSuccessful").getAsBoolean()).as("a failed bulk call: %s", body).isFalse();
        assertThat(result.getAsJsonArray("errors")).as("a failed bulk call lists its errors: %s", body).isNotEmpty();
        result.getAsJsonArray("errors").forEach(error -> assertThat(error.getAsJsonObject().get("errorCode")
                .getAsString()).as("errorCode names the error: %s", body).matches("[A-Z][A-Za-z]+"));
        return true;
    }

    /** Checks the rules and that the hub refused with this status and IoT Hub error code; returns the inner error. */
    public static JsonObject assertRefused(HttpResponse<byte[]> response, int status, int errorCode) {
        JsonElement body = assertWellFormed(response);
        assertThat(response.statusCode()).as(text(response)).isEqualTo(status);
        JsonObject error = innerError(body, text(response));
        assertThat(error.get("errorCode").getAsInt()).as(text(response)).isEqualTo(errorCode);
        return error;
    }

    /** The inner error object of the nested form; fails when the body is not in that form. */
    public static JsonObject innerError(JsonElement body, String what) {
        if (body == null || !body.isJsonObject()) {
            return fail("an error answer needs IoT Hub's nested error body, but got: " + what);
        }
        JsonObject outer = body.getAsJsonObject();
        assertThat(outer.has("ExceptionMessage")).as("ExceptionMessage in %s", what).isTrue();
        JsonElement message = outer.get("Message");
        if (message == null || !message.isJsonPrimitive() || !message.getAsJsonPrimitive().isString()) {
            return fail("the nested error body carries the error as a JSON string in Message: " + what);
        }
        JsonElement inner = strictJson(message.getAsString().getBytes(StandardCharsets.UTF_8), what);
        assertThat(inner.isJsonObject()).as("Message holds an error object: %s", what).isTrue();
        JsonObject error = inner.getAsJsonObject();
        assertThat(error.has("errorCode") && error.get("errorCode").isJsonPrimitive()
                && error.get("errorCode").getAsJsonPrimitive().isNumber()).as("numeric errorCode in %s", what).isTrue();
        assertThat(error.has("message")).as("message in %s", what).isTrue();
        return error;
    }

    /** Checks a flat error body ({@code {"errorCode":…,"message":…}}), as MQTT twin responses carry it. */
    public static JsonObject assertFlatError(byte[] payload) {
        String what = new String(payload, StandardCharsets.UTF_8);
        assertThat(payload).as("an error response carries a body").isNotEmpty();
        JsonElement body = strictJson(payload, what);
        assertThat(body.isJsonObject()).as(what).isTrue();
        assertNoJavaInsides(what);
        JsonObject error = body.getAsJsonObject();
        assertThat(error.has("errorCode")).as(what).isTrue();
        return error;
    }

    public static JsonElement strictJson(byte[] bytes, String what) {
        try {
            return StrictJson.parse(bytes);
        } catch (StrictJson.NotStrictJson e) {
            return fail("the hub sent what is not strict JSON (" + e.getMessage() + "): " + what);
        }
    }

    public static void assertNoJavaInsides(String text) {
        Matcher matcher = JAVA_INSIDES.matcher(text.replace("\"ExceptionMessage\"", "\"\""));
        if (matcher.find()) {
            fail("the hub's answer shows its insides ('" + matcher.group() + "'): " + text);
        }
    }
}
