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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The hub one property class attacks: in-process, HTTPS and MQTT on free ports, with sentinel twins nobody may touch
 * and a bystander device that checks afterwards that devices are still served. Registered as a static extension
 * ({@code @RegisterExtension static final AttackedHub attacked = AttackedHub.seeding(…)}), it starts the hub before the
 * class's own {@code @BeforeAll}, reads the sentinels before each property, checks {@link #assertUnharmed} after it,
 * and stops the hub after the class's {@code @AfterAll}, so every property of the class runs against the same hub and
 * its leftovers.
 */
final class AttackedHub implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    static final List<String> SENTINELS = List.of("sentinel-1", "sentinel-2");
    private static final String BYSTANDER = "bystander";

    private final List<String> devices;
    private LocalHub hub;
    private ServiceRestClient rest;
    private SentinelTwins sentinels;
    private Map<String, String> sentinelsBefore;

    private AttackedHub(List<String> devices) {
        this.devices = List.copyOf(devices);
    }

    /** A hub with the sentinels, the bystander and {@code devices} (created with well-known keys). */
    static AttackedHub seeding(List<String> devices) {
        return new AttackedHub(devices);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        List<String> all = new ArrayList<>(SENTINELS);
        all.add(BYSTANDER);
        all.addAll(devices);
        hub = LocalHub.builder().httpsPort(0).mqttPort(0).seedDevices(all).start();
        try {
            rest = new ServiceRestClient(hub);
            sentinels = SentinelTwins.seed(hub, SENTINELS);
        } catch (Exception | Error e) {
            hub.close();
            throw e;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        sentinelsBefore = sentinels.read();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        assertUnharmed(sentinelsBefore);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        hub.close();
    }

    LocalHub hub() {
        return hub;
    }

    ServiceRestClient rest() {
        return rest;
    }

    /**
     * After a property's run: the sentinels are byte for byte as before, the service SDK still reads a twin, and a
     * device still connects over MQTT and gets its twin.
     */
    private void assertUnharmed(Map<String, String> sentinelsBefore) throws Exception {
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
}
