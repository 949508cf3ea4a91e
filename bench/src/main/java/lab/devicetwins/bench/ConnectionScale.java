package lab.devicetwins.bench;

import io.vertx.mqtt.MqttClient;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scenario 4: many devices connected at once over TLS, each subscribed to its twin topics, on the hub and (same
 * generator, same TLS) on Mosquitto. Measures the connect rate (TLS handshake + CONNECT with SAS + SUBSCRIBE, at
 * most {@link #WINDOW} in flight), the hub's live heap per idle connection (after a full GC, from
 * {@code GC.class_histogram}), the resident memory per connection of both servers, and the hub's resident memory
 * idle (its devices registered, none connected) and with all of them connected.
 * Goal: 10,000 devices, at least 1,000 connects/s, at most 20 KB heap per idle connection.
 */
final class ConnectionScale implements Scenario, Bench.SharesTheHub {
    static final int WINDOW = 100;
    static final double GOAL_CONNECTS_PER_SECOND = 1000;
    static final double GOAL_HEAP_KB = 20;

    @Override
    public String name() {
        return "connections";
    }

    @Override
    public SummaryLine run(BenchContext context) throws Exception {
        BenchEnvironment bench = context.bench();
        int count = Integer.getInteger("bench.connections", BenchContext.MQTT_DEVICES);
        Broker hub = Broker.hub(bench, context.hub());
        Broker mosquitto = Broker.mosquitto(bench);
        Figure hubRate = new Figure();
        Figure mosqRate = new Figure();
        Figure hubHeapKb = new Figure();
        Figure hubRssKb = new Figure();
        Figure mosqRssKb = new Figure();
        Figure hubCpuMsPerConnect = new Figure();
        Figure generatorRssKb = new Figure();
        Figure hubRssIdleMb = new Figure();
        Figure hubRssConnectedMb = new Figure();
        long hubFailures = 0;
        long mosqFailures = 0;
        for (int round = 1; round <= bench.runs(); round++) {
            Map<String, Long> histogramBefore = JfrProfile.liveHeap(hub.pid());
            long heapBefore = histogramBefore.get("Total");
            long rssBefore = ProcessCpu.rssKb(hub.pid());
            long selfRssBefore = ProcessCpu.rssKb(ProcessHandle.current().pid());
            long cpuBefore = ProcessCpu.ticks(hub.pid());
            long t0 = System.nanoTime();
            MqttLoad.Connected connected = context.load().tryConnect(hub, count, WINDOW, ConnectionScale::hubTopics);
            List<MqttClient> clients = connected.clients();
            hubFailures += connected.failures().size();
            describeFailures("hub", connected);
            int n = Math.max(1, clients.size());
            double seconds = (System.nanoTime() - t0) / 1e9;
            long cpu = ProcessCpu.ticks(hub.pid()) - cpuBefore;
            Thread.sleep(2000);
            Map<String, Long> histogramAfter = JfrProfile.liveHeap(hub.pid());
            long heapAfter = histogramAfter.get("Total");
            if (round == 1) {
                System.out.println("# connections: hub heap per connection by class: "
                        + JfrProfile.growth(histogramBefore, histogramAfter, Math.max(1, clients.size()), 10));
            }
            long rssAfter = ProcessCpu.rssKb(hub.pid());
            hubRssIdleMb.add(rssBefore / 1024.0);
            hubRssConnectedMb.add(rssAfter / 1024.0);
            generatorRssKb.add((ProcessCpu.rssKb(ProcessHandle.current().pid()) - selfRssBefore) / (double) n);
            context.load().disconnect(clients);
            hubRate.add(n / seconds);
            hubHeapKb.add((heapAfter - heapBefore) / 1024.0 / n);
            hubRssKb.add((rssAfter - rssBefore) / (double) n);
            hubCpuMsPerConnect.add(cpu * ProcessCpu.TICK_MS / n);
            System.out.printf(Locale.ROOT, "# connections round %d hub      : %,d connected in %.1f s = %,.0f/s; live heap %+.1f KB"
                            + " and RSS %+.1f KB per connection; hub CPU %.2f ms per connect%n", round, n, seconds,
                    n / seconds, (heapAfter - heapBefore) / 1024.0 / n, (rssAfter - rssBefore) / (double) n,
                    cpu * ProcessCpu.TICK_MS / n);
            Thread.sleep(3000); // let the hub record the disconnects before the next side connects

            long mosqRssBefore = ProcessCpu.rssKb(mosquitto.pid());
            t0 = System.nanoTime();
            connected = context.load().tryConnect(mosquitto, count, WINDOW, ConnectionScale::mosquittoTopics);
            clients = connected.clients();
            mosqFailures += connected.failures().size();
            describeFailures("mosquitto", connected);
            n = Math.max(1, clients.size());
            seconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(2000);
            long mosqRssAfter = ProcessCpu.rssKb(mosquitto.pid());
            context.load().disconnect(clients);
            mosqRate.add(n / seconds);
            mosqRssKb.add((mosqRssAfter - mosqRssBefore) / (double) n);
            System.out.printf(Locale.ROOT, "# connections round %d mosquitto: %,d connected in %.1f s = %,.0f/s; RSS %+.1f KB per"
                    + " connection%n", round, n, seconds, n / seconds, (mosqRssAfter - mosqRssBefore) / (double) n);
            Thread.sleep(3000);
        }
        if (bench.profile()) {
            profileHubConnects(context, hub, Math.min(count, 3000));
        }
        boolean allConnected = hubFailures == 0;
        return new SummaryLine(name())
                .put("connections", count)
                .put("hub_connects_per_s", hubRate)
                .put("mosq_connects_per_s", mosqRate)
                .put("ratio_connect_rate", hubRate.median() / mosqRate.median())
                .put("hub_heap_kb_per_conn", hubHeapKb)
                .put("hub_rss_kb_per_conn", hubRssKb)
                .put("hub_rss_mb_idle", hubRssIdleMb)
                .put("hub_rss_mb_connected", hubRssConnectedMb)
                .put("mosq_rss_kb_per_conn", mosqRssKb)
                .put("hub_cpu_ms_per_connect", hubCpuMsPerConnect)
                .put("generator_rss_kb_per_conn", generatorRssKb)
                .put("hub_failed_connects", hubFailures)
                .put("mosq_failed_connects", mosqFailures)
                .put("goal", "10000_devices,>=1000/s,<=20KB_heap")
                .put("verdict", SideBySide.verdict(allConnected && count >= 10_000 && hubRate.median() >= GOAL_CONNECTS_PER_SECOND
                        && hubHeapKb.median() <= GOAL_HEAP_KB));
    }

    /** One more round of hub connects under JFR (hub and generator), not counted in the figures. */
    private static void profileHubConnects(BenchContext context, Broker hub, int count) throws Exception {
        var dir = context.bench().workDir().resolve("profiles");
        JfrProfile hubProfile = JfrProfile.start(hub.pid(), dir.resolve("connections-hub.jfr"));
        JfrProfile generator = JfrProfile.start(ProcessHandle.current().pid(), dir.resolve("connections-generator.jfr"));
        long t0 = System.nanoTime();
        MqttLoad.Connected connected = context.load().tryConnect(hub, count, WINDOW, ConnectionScale::hubTopics);
        double seconds = (System.nanoTime() - t0) / 1e9;
        hubProfile.stopAndSummarize("connections, hub process").forEach(System.out::println);
        generator.stopAndSummarize("connections, load generator").forEach(System.out::println);
        System.out.printf(Locale.ROOT, "# connections (profiled): %,d in %.1f s%n", connected.clients().size(), seconds);
        context.load().disconnect(connected.clients());
        Thread.sleep(3000);
    }

    private static void describeFailures(String side, MqttLoad.Connected connected) {
        if (!connected.failures().isEmpty()) {
            Map<String, Long> causes = new TreeMap<>();
            connected.failures().forEach(f -> causes.merge(String.valueOf(f.getMessage()), 1L, Long::sum));
            System.out.println("# connections " + side + ": " + connected.failures().size() + " failed: " + causes);
        }
    }

    private static List<String> hubTopics(String clientId) {
        return List.of("$iothub/twin/res/#", "$iothub/twin/PATCH/properties/desired/#");
    }

    private static List<String> mosquittoTopics(String clientId) {
        return List.of("bench/" + clientId + "/res/#", "bench/" + clientId + "/desired/#");
    }
}
