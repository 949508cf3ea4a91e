package lab.devicetwins.tutorial.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJob;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJobStatus;
import com.microsoft.azure.sdk.iot.service.jobs.ScheduledJobsClient;
import com.microsoft.azure.sdk.iot.service.methods.DirectMethodRequestOptions;
import com.microsoft.azure.sdk.iot.service.methods.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.service.methods.DirectMethodsClient;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.sdk.FaultInjection;
import lab.devicetwins.tutorial.e2e.TestHub.TestDevice;
import lab.devicetwins.tutorial.shared.TargetHub;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a back end does beyond twins, tried against {@code local-hub.jar} started as a learner starts it and reached only
 * through its hub.env: an app calls a direct method on a device, and schedules a twin-update job over a tag query
 * that reaches every device it selects; a device on MQTT over WebSockets rides out a fault injected as the SDKs' test
 * suites inject one. All through the unmodified service and device SDKs.
 */
@ExtendWith(SeparateHubProcess.class)
class MethodsJobsAndFaultsAgainstHubProcessIT {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void an_app_calls_a_method_on_a_device_and_a_twin_job_over_a_query_reaches_every_device_it_selects(TestHub hub)
            throws Exception {
        TargetHub target = hub.target();
        String run = UUID.randomUUID().toString().substring(0, 8);
        TwinClient twins = new TwinClient(target.registryConnectionString(), target.twinClientOptions());
        List<DeviceClient> clients = new ArrayList<>();
        Map<String, List<TwinCollection>> desired = new ConcurrentHashMap<>();
        List<String> calls = new CopyOnWriteArrayList<>();
        try {
            List<TestDevice> devices = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                TestDevice device = hub.createDevice("job" + i);
                devices.add(device);
                Twin tags = new Twin(device.id());
                tags.getTags().put("fleet", i < 2 ? run : "other-" + run);
                twins.patch(tags);
                DeviceClient client = new DeviceClient(device.connectionString(), IotHubClientProtocol.MQTT,
                        target.deviceClientOptions());
                clients.add(client);
                client.open(true);
                List<TwinCollection> heard = new CopyOnWriteArrayList<>();
                desired.put(device.id(), heard);
                client.subscribeToDesiredProperties((twin, ctx) -> heard.add(twin.getDesiredProperties()), null);
                client.subscribeToMethods((name, payload, ctx) -> {
                    calls.add(name + " " + payload.getPayloadAsJsonString());
                    return new com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse(200, Map.of("rebooting", true));
                }, null);
            }

            DirectMethodsClient methods = new DirectMethodsClient(target.registryConnectionString(),
                    target.directMethodsClientOptions());
            DirectMethodRequestOptions options = DirectMethodRequestOptions.builder().payload(Map.of("delay", 5))
                    .methodResponseTimeoutSeconds(30).methodConnectTimeoutSeconds(10).build();
            DirectMethodResponse answer = methods.invoke(devices.get(0).id(), "reboot", options);
            assertThat(answer.getStatus()).isEqualTo(200);
            assertThat(answer.getPayloadAsJsonString()).isEqualTo("{\"rebooting\":true}");
            assertThat(calls).containsExactly("reboot {\"delay\":5}");

            ScheduledJobsClient jobs = new ScheduledJobsClient(target.registryConnectionString(),
                    target.scheduledJobsClientOptions());
            Twin update = new Twin();
            update.getDesiredProperties().put("firmware", "2.0." + run);
            String jobId = "firmware-" + run;
            ScheduledJob created = jobs.scheduleUpdateTwin(jobId, "tags.fleet = '" + run + "'", update, new Date(), 60);
            assertThat(created.getJobId()).isEqualTo(jobId);

            Awaitility.await().atMost(BOUND).until(() -> jobs.get(jobId).getJobStatus() == ScheduledJobStatus.completed);
            ScheduledJob done = jobs.get(jobId);
            assertThat(done.getJobStatistics().getDeviceCount()).isEqualTo(2);
            assertThat(done.getJobStatistics().getSucceededCount()).isEqualTo(2);
            for (int i = 0; i < 2; i++) {
                List<TwinCollection> heard = desired.get(devices.get(i).id());
                Awaitility.await().atMost(BOUND).until(() -> heard.stream()
                        .anyMatch(d -> ("2.0." + run).equals(d.get("firmware"))));
            }
            assertThat(twins.get(devices.get(2).id()).getDesiredProperties()).doesNotContainKey("firmware");
        } finally {
            for (DeviceClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void a_device_on_mqtt_over_websockets_rides_out_an_injected_fault_and_still_hears_desired_changes(TestHub hub)
            throws Exception {
        TargetHub target = hub.target();
        TestDevice device = hub.createDevice("ws-fault");
        // on a machine where the hub cannot have 443 the options carry the hub's CONNECT proxy, as the tutorial's do
        DeviceClient client = new DeviceClient(device.connectionString(), IotHubClientProtocol.MQTT_WS,
                target.deviceClientOptions(IotHubClientProtocol.MQTT_WS));
        List<IotHubConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        client.setConnectionStatusChangeCallback(change -> statuses.add(change.getNewStatus()), null);
        List<TwinCollection> heard = new CopyOnWriteArrayList<>();
        try {
            client.open(true);
            client.subscribeToDesiredProperties((twin, ctx) -> heard.add(twin.getDesiredProperties()), null);

            // IoT Hub's fault injection as the SDKs' own test suites send it
            Message fault = FaultInjection.message("KillTcp", "Boom", 1, 3);
            client.sendEventAsync(fault, (message, e, ctx) -> { }, null);

            Awaitility.await().atMost(BOUND).until(() -> statuses.contains(IotHubConnectionStatus.DISCONNECTED_RETRYING)
                    && statuses.get(statuses.size() - 1) == IotHubConnectionStatus.CONNECTED);
            TwinClient twins = new TwinClient(target.registryConnectionString(), target.twinClientOptions());
            Twin patch = new Twin(device.id());
            patch.getDesiredProperties().put("afterFault", true);
            twins.patch(patch);
            Awaitility.await().atMost(BOUND).until(() -> heard.stream().anyMatch(d -> d.containsKey("afterFault")));
        } finally {
            client.close();
        }
    }
}
