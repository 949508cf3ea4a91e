package lab.devicetwins.bench;

import lab.devicetwins.localhub.process.LocalHubProcess;

/**
 * Scenario 3: reported-property PATCH throughput, 100 clients in closed loop, each update committed to the hub's
 * database before its 204 (the hub runs on a data directory, not in memory), against Mosquitto echoing the same
 * payload at QoS 1. Goal: at least 0.7 of Mosquitto's rate.
 */
final class ReportedPatchThroughput implements Scenario, Bench.SharesTheHub {
    static final double GOAL_RATIO = 0.7;
    /** A maxed-out S3 IoT Hub (10 units) allows this many twin updates per second. */
    static final int S3_TWIN_UPDATES_PER_SECOND = 2_500;

    /**
     * kill -9 the hub while 100 clients patch, start it again on the same data, and compare each twin's reported
     * {@code $version} with the last one the hub acknowledged: an acknowledged update must never be lost.
     */
    private static String killNineCheck(BenchContext context) throws Exception {
        LocalHubProcess hub = context.hub();
        Broker broker = Broker.hub(context.bench(), hub);
        var acked = context.load().runUntilCrash(broker, Exchange.REPORTED_PATCH, 100, 3, () -> {
            try {
                hub.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        context.forgetHub();
        var stored = context.load().reportedVersions(Broker.hub(context.bench(), context.hub()), 100);
        long lost = acked.entrySet().stream()
                .filter(e -> stored.getOrDefault(e.getKey(), -1L) < e.getValue()).count();
        long ackedTotal = acked.values().stream().filter(v -> v > 0).count();
        System.out.printf("# reported-patch kill -9: %d of %d devices had acknowledged updates; %d lost one"
                + " after the restart%n", ackedTotal, acked.size(), lost);
        return lost == 0 && stored.size() == acked.size() ? "no_acknowledged_update_lost" : lost + "_devices_lost_updates";
    }

    @Override
    public String name() {
        return "reported-patch";
    }

    @Override
    public SummaryLine run(BenchContext context) throws Exception {
        SideBySide r = SideBySide.measure(context, "reported-patch 100 clients", 100, Exchange.REPORTED_PATCH,
                Exchange.ECHO);
        if (context.bench().profile()) {
            SideBySide.profile(context, "reported-patch 100 clients", 100, Exchange.REPORTED_PATCH);
        }
        String durability = killNineCheck(context);
        return new SummaryLine(name())
                .put("hub_rps", r.hub.perSecond)
                .put("mosq_rps", r.mosquitto.perSecond)
                .put("ratio_rps", r.throughputRatio)
                .put("hub_p50_us", r.hub.p50)
                .put("hub_p99_us", r.hub.p99)
                .put("mosq_p50_us", r.mosquitto.p50)
                .put("mosq_p99_us", r.mosquitto.p99)
                .put("hub_cpu_pct", r.hub.serverCpu)
                .put("mosq_cpu_pct", r.mosquitto.serverCpu)
                .put("gen_cpu_pct_hub", r.hub.generatorCpu)
                .put("gen_cpu_pct_mosq", r.mosquitto.generatorCpu)
                .put("hub_cpu_us_per_op", r.hub.serverMicrosPerOp)
                .put("mosq_cpu_us_per_op", r.mosquitto.serverMicrosPerOp)
                .put("errors", r.hub.errors + r.mosquitto.errors)
                .put("vs_s3_iothub", r.hub.perSecond.median() / S3_TWIN_UPDATES_PER_SECOND)
                .put("kill9_check", durability)
                .put("goal", "ratio_rps>=" + GOAL_RATIO)
                .put("verdict", SideBySide.verdict(r.throughputRatio.median() >= GOAL_RATIO));
    }
}
