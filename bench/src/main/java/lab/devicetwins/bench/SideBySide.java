package lab.devicetwins.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lab.devicetwins.localhub.process.LocalHubProcess;

/**
 * A hub run and a Mosquitto run with the same generator and settings, one after the other within the same round, the
 * order swapped each round so drift (JIT, page cache, other load) does not favour one side.
 */
final class SideBySide {
    /** The figures of one side over the rounds. */
    static final class Side {
        final Figure p50 = new Figure();
        final Figure p99 = new Figure();
        final Figure perSecond = new Figure();
        final Figure serverCpu = new Figure();
        final Figure generatorCpu = new Figure();
        final Figure serverMicrosPerOp = new Figure();
        long errors;

        void add(MqttLoad.Run run) {
            p50.add(run.latencies().percentileMicros(0.50));
            p99.add(run.latencies().percentileMicros(0.99));
            perSecond.add(run.perSecond());
            serverCpu.add(run.serverCpuPercent());
            generatorCpu.add(run.generatorCpuPercent());
            serverMicrosPerOp.add(run.serverMicrosPerOp());
            errors += run.errors();
        }
    }

    final Side hub = new Side();
    final Side mosquitto = new Side();
    /** hub / Mosquitto per round, for p50 latency and throughput. */
    final Figure p50Ratio = new Figure();
    final Figure throughputRatio = new Figure();

    static SideBySide measure(BenchContext context, String label, int clients, Exchange hubExchange,
                              Exchange mosquittoExchange) throws Exception {
        BenchEnvironment bench = context.bench();
        Broker hubBroker = Broker.hub(bench, context.hub());
        Broker mosquittoBroker = Broker.mosquitto(bench);
        SideBySide result = new SideBySide();
        // unmeasured: let the hub's JIT compile this path (Mosquitto is native code), and treat both sides alike
        context.load().closedLoop(hubBroker, hubExchange, clients, 0, Math.max(10, 3 * bench.warmupSeconds()));
        context.load().closedLoop(mosquittoBroker, mosquittoExchange, clients, 0, bench.warmupSeconds());
        for (int round = 1; round <= bench.runs(); round++) {
            MqttLoad.Run h;
            MqttLoad.Run m;
            if (round % 2 == 1) {
                h = context.load().closedLoop(hubBroker, hubExchange, clients, bench.warmupSeconds(), bench.seconds());
                m = context.load().closedLoop(mosquittoBroker, mosquittoExchange, clients, bench.warmupSeconds(),
                        bench.seconds());
            } else {
                m = context.load().closedLoop(mosquittoBroker, mosquittoExchange, clients, bench.warmupSeconds(),
                        bench.seconds());
                h = context.load().closedLoop(hubBroker, hubExchange, clients, bench.warmupSeconds(), bench.seconds());
            }
            print(label, round, "hub", h);
            print(label, round, "mosquitto", m);
            result.hub.add(h);
            result.mosquitto.add(m);
            result.p50Ratio.add(h.latencies().percentileMicros(0.5) / m.latencies().percentileMicros(0.5));
            result.throughputRatio.add(h.perSecond() / m.perSecond());
        }
        return result;
    }

    private static void print(String label, int round, String side, MqttLoad.Run run) {
        System.out.printf(Locale.ROOT,
                "# %s round %d %-9s: %,7d ops in %.1f s = %,8.0f/s  p50 %7.1f us  p99 %8.1f us  errors %d  "
                        + "server CPU %5.1f%% (%.1f us/op)  generator CPU %5.1f%%%n",
                label, round, side, run.latencies().count(), run.seconds(), run.perSecond(),
                run.latencies().percentileMicros(0.5), run.latencies().percentileMicros(0.99), run.errors(),
                run.serverCpuPercent(), run.serverMicrosPerOp(), run.generatorCpuPercent());
        System.out.println("#   " + side + " threads: " + run.serverThreads());
    }

    /** One more hub run under JFR (hub and generator recorded), not counted in the figures. */
    static void profile(BenchContext context, String label, int clients, Exchange exchange) throws Exception {
        BenchEnvironment bench = context.bench();
        LocalHubProcess hubProcess = context.hub();
        Path dir = bench.workDir().resolve("profiles");
        String file = label.replaceAll("[^a-z0-9]+", "-");
        JfrProfile hub = JfrProfile.start(hubProcess.pid(), dir.resolve(file + "-hub.jfr"));
        JfrProfile generator = JfrProfile.start(ProcessHandle.current().pid(), dir.resolve(file + "-generator.jfr"));
        MqttLoad.Run run = context.load().closedLoop(Broker.hub(bench, hubProcess), exchange, clients,
                bench.warmupSeconds(), bench.seconds());
        print(label + " (profiled)", 0, "hub", run);
        List<String> lines = new ArrayList<>(hub.stopAndSummarize(label + ", hub process"));
        lines.addAll(generator.stopAndSummarize(label + ", load generator"));
        lines.forEach(System.out::println);
    }

    static String verdict(boolean met) {
        return met ? "met" : "missed";
    }
}
