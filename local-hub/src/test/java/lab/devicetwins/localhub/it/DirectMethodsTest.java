package lab.devicetwins.localhub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.methods.DirectMethodRequestOptions;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.Module;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.ServiceRestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Direct methods through the unmodified SDKs: the service's {@code DirectMethodsClient.invoke} and the device's
 * {@code subscribeToMethods}, for devices and modules; the payload and the device's status pass through verbatim,
 * and the errors are IoT Hub's (404103 not online, 504101 no answer in time, 404001/404010 unknown identity).
 */
class DirectMethodsTest {
    @TempDir
    Path data;

    private LocalHub hub;
    private OfficialSdks sdks;
    private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        hub = LocalHub.builder().dataDirectory(data).httpsPort(0).start();
        sdks = new OfficialSdks(hub);
        sdks.registry().addDevice(new Device("dev1"));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        hub.close();
    }

    /** dev1 connected and answering every method with status 200 and {"echo": <payload>, "method": name}. */
    private DeviceClient echoingDevice() throws Exception {
        DeviceClient device = sdks.device("dev1");
        clients.add(device::close);
        device.open(false);
        device.subscribeToMethods((name, payload, ctx) -> {
            received.add(payload.getPayloadAsJsonString());
            return new DirectMethodResponse(name.equals("fail") ? 404 : 200,
                    Map.of("method", name, "echo", payload.getPayloadAsJsonElement()));
        }, null);
        return device;
    }

    /** The payloads the echoing device was called with, as JSON text. */
    private final List<String> received = new CopyOnWriteArrayList<>();

    private static DirectMethodRequestOptions payload(Object payload) {
        return DirectMethodRequestOptions.builder().payload(payload).methodResponseTimeoutSeconds(30)
                .methodConnectTimeoutSeconds(0).build();
    }

    @ParameterizedTest(name = "payload {0}")
    @CsvSource(delimiter = '|', value = {
            "\"a string\"",
            "false",
            "[1,2.50,3]",
            "{\"nested\":{\"a\":1}}",
            "null"})
    void the_payload_reaches_the_device_and_its_answer_comes_back_verbatim(String json) throws Exception {
        echoingDevice();

        var response = sdks.methods().invoke("dev1", "loopback", payload(JsonParser.parseString(json)));

        assertThat(received).hasSize(1);
        assertThat(JsonParser.parseString(received.get(0))).isEqualTo(JsonParser.parseString(json));
        assertThat(response.getStatus()).isEqualTo(200);
        // the device SDK's Gson leaves out null members of the answer it writes; the rest comes back as written
        assertThat(response.getPayloadAsJsonElement().getAsJsonObject().get("method").getAsString())
                .isEqualTo("loopback");
    }

    @Test
    void nulls_and_number_text_in_a_payload_reach_the_device_as_sent() throws Exception {
        echoingDevice();
        // the service SDK's Gson drops null members, so the request is written by hand here
        String payload = "{\"nested\":{\"a\":null},\"n\":1.50}";

        HttpResponse<String> response = new ServiceRestClient(hub).send("POST", "/twins/dev1/methods",
                "{\"methodName\":\"m\",\"payload\":" + payload + "}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(received).containsExactly(payload);
        assertThat(JsonParser.parseString(response.body()).getAsJsonObject().get("status").getAsInt()).isEqualTo(200);
    }

    @Test
    void the_status_the_device_chooses_is_passed_through() throws Exception {
        echoingDevice();

        assertThat(sdks.methods().invoke("dev1", "fail", payload(null)).getStatus()).isEqualTo(404);
    }

    @Test
    void a_device_that_is_not_connected_or_not_subscribed_is_not_online() throws Exception {
        assertThat(errorCode(() -> sdks.methods().invoke("dev1", "m", payload(null)))).isEqualTo(404103);
        DeviceClient device = sdks.device("dev1");
        clients.add(device::close);
        device.open(false);
        assertThat(errorCode(() -> sdks.methods().invoke("dev1", "m", payload(null))))
                .as("connected, not subscribed").isEqualTo(404103);
        assertThat(errorCode(() -> sdks.methods().invoke("ghost", "m", payload(null)))).isEqualTo(404001);
        assertThat(errorCode(() -> sdks.methods().invoke("dev1", "nomodule", "m", payload(null))))
                .isEqualTo(404010);
    }

    @Test
    void with_a_connect_timeout_the_call_waits_for_the_device_to_come_online() throws Exception {
        CompletableFuture<Integer> status = invokeWaitingForTheDevice("late");
        Thread.sleep(500);
        assertThat(status).isNotDone();

        echoingDevice();

        assertThat(status.get(20, TimeUnit.SECONDS)).isEqualTo(200);
    }

    @Test
    void a_device_that_does_not_answer_in_time_is_a_gateway_timeout_and_its_late_answer_is_dropped() throws Exception {
        DeviceClient device = sdks.device("dev1");
        clients.add(device::close);
        device.open(false);
        device.subscribeToMethods((name, payload, ctx) -> {
            try {
                Thread.sleep(7_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new DirectMethodResponse(200, null);
        }, null);

        assertThat(errorCode(() -> sdks.methods().invoke("dev1", "slow", DirectMethodRequestOptions.builder()
                .methodResponseTimeoutSeconds(5).methodConnectTimeoutSeconds(0).build()))).isEqualTo(504101);
    }

    @Test
    void a_module_answers_its_own_methods() throws Exception {
        sdks.registry().addModule(new Module("dev1", "filter"));
        ModuleClient module = sdks.module("dev1", "filter");
        clients.add(module::close);
        module.open(false);
        module.subscribeToMethods((name, payload, ctx) -> new DirectMethodResponse(201, "module:" + name), null);
        echoingDevice();

        var atModule = sdks.methods().invoke("dev1", "filter", "reset", payload(null));
        var atDevice = sdks.methods().invoke("dev1", "reset", payload(null));

        assertThat(atModule.getStatus()).isEqualTo(201);
        assertThat(atModule.getPayload(String.class)).isEqualTo("module:reset");
        assertThat(atDevice.getStatus()).isEqualTo(200);
    }

    @Test
    void the_method_subscription_is_kept_across_a_reconnect() throws Exception {
        echoingDevice();
        List<String> before = List.of(sdks.methods().invoke("dev1", "one", payload(1)).getStatus().toString());

        hub.dropConnection("dev1");

        CompletableFuture<Integer> after = invokeWaitingForTheDevice("two");
        assertThat(before).containsExactly("200");
        assertThat(after.get(40, TimeUnit.SECONDS)).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no method name           | {\"payload\":1}",
            "an empty method name     | {\"methodName\":\"\"}",
            "a slash in the name      | {\"methodName\":\"a/b\"}",
            "response timeout 4 s     | {\"methodName\":\"m\",\"responseTimeoutInSeconds\":4}",
            "response timeout 301 s   | {\"methodName\":\"m\",\"responseTimeoutInSeconds\":301}",
            "connect timeout -1 s     | {\"methodName\":\"m\",\"connectTimeoutInSeconds\":-1}",
            "a fractional timeout     | {\"methodName\":\"m\",\"responseTimeoutInSeconds\":7.5}",
            "a string timeout         | {\"methodName\":\"m\",\"responseTimeoutInSeconds\":\"7\"}",
            "not an object            | [\"m\"]"})
    void a_bad_call_is_a_bad_request(String what, String body) throws Exception {
        echoingDevice();

        HttpResponse<String> response = new ServiceRestClient(hub).send("POST", "/twins/dev1/methods", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("400004");
    }

    @Test
    void a_payload_over_128_kb_is_refused() throws Exception {
        echoingDevice();
        String big = "{\"methodName\":\"m\",\"payload\":\"" + "x".repeat(128 * 1024) + "\"}";

        HttpResponse<String> response = new ServiceRestClient(hub).send("POST", "/twins/dev1/methods", big);

        assertThat(response.statusCode()).isEqualTo(413);
    }

    /** Calls a method on dev1 in the background, with 30 s for it to come online; completes with the status. */
    private CompletableFuture<Integer> invokeWaitingForTheDevice(String methodName) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return sdks.methods().invoke("dev1", methodName, DirectMethodRequestOptions.builder()
                        .methodResponseTimeoutSeconds(30).methodConnectTimeoutSeconds(30).build()).getStatus();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private interface Call {
        void run() throws Exception;
    }

    private static int errorCode(Call call) {
        try {
            call.run();
        } catch (IotHubException e) {
            return e.getErrorCode();
        } catch (Exception e) {
            throw new AssertionError("expected an IotHubException, got " + e, e);
        }
        throw new AssertionError("expected an IotHubException, the call succeeded");
    }
}
