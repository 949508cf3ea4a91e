package lab.devicetwins.localhub.properties;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.attack.SentinelTwins;
import lab.devicetwins.localhub.mqtt.RawMqttDevice;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import lab.devicetwins.localhub.sdk.ServiceRestClient;

/**
 * The hub one property class attacks: in-process, HTTPS and MQTT on free ports, with sentinel twins nobody may touch
 * and a bystander device that checks afterwards that devices are still served. A property class holds one in a
 * static field from {@code @BeforeAll} to {@code @AfterAll}, reads the sentinels before each property and checks
 * {@link #assertUnharmed} after it, so every property of the class runs against the same hub and its leftovers.
 */
final class AttackedHub implements AutoCloseable {
    static final List<String> SENTINELS = List.of("sentinel-1", "sentinel-2");
    private static final String BYSTANDER = "bystander";

    private final LocalHub hub;
    private final ServiceRestClient rest;
    private final SentinelTwins sentinels;

    private AttackedHub(LocalHub hub, SentinelTwins sentinels) {
        this.hub = hub;
        this.rest = new ServiceRestClient(hub);
        this.sentinels = sentinels;
    }

    /** Starts a hub with the sentinels, the bystander and {@code devices} (created with well-known keys). */
    static AttackedHub start(List<String> devices) throws Exception {
        List<String> all = new ArrayList<>(SENTINELS);
        all.add(BYSTANDER);
        all.addAll(devices);
        LocalHub hub = LocalHub.builder().httpsPort(0).mqttPort(0).seedDevices(all).start();
        try {
            return new AttackedHub(hub, SentinelTwins.seed(hub, SENTINELS));
        } catch (Exception | Error e) {
            hub.close();
            throw e;
        }
    }

    LocalHub hub() {
        return hub;
    }

    ServiceRestClient rest() {
        return rest;
    }

    Map<String, String> sentinelTwins() throws Exception {
        return sentinels.read();
    }

    /**
     * After a property's run: the sentinels are byte for byte as before, the service SDK still reads a twin, and a
     * device still connects over MQTT and gets its twin.
     */
    void assertUnharmed(Map<String, String> sentinelsBefore) throws Exception {
        sentinels.assertUnchanged(sentinelsBefore);
        assertThat(new OfficialSdks(hub).twins().get(SENTINELS.get(0)).getDeviceId())
                .as("the service SDK still reads a twin").isEqualTo(SENTINELS.get(0));
        try (RawMqttDevice device = new RawMqttDevice(hub, BYSTANDER)) {
            device.connect(true);
            device.subscribe("$iothub/twin/res/#");
            assertThat(device.getTwin("after-run").topic()).as("a device still gets its twin")
                    .startsWith("$iothub/twin/res/200/");
            device.disconnect();
        }
    }

    @Override
    public void close() {
        hub.close();
    }
}
