package lab.devicetwins.bench;

/**
 * Scenario 3: reported-property PATCH throughput, 100 clients in closed loop, each update committed to the hub's
 * database before its 204 (the hub runs on a data directory, not in memory), against Mosquitto echoing the same
 * payload at QoS 1. Goal: at least 0.7 of Mosquitto's rate.
 */
final class ReportedPatchThroughput implements Scenario, Bench.SharesTheHub {
    static final double GOAL_RATIO = 0.7;
    /** A maxed-out S3 IoT Hub (10 units) allows this many twin updates per second. */
    static final int S3_TWIN_UPDATES_PER_SECOND = 2_500;

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
                .put("goal", "ratio_rps>=" + GOAL_RATIO)
                .put("verdict", SideBySide.verdict(r.throughputRatio.median() >= GOAL_RATIO));
    }
}
