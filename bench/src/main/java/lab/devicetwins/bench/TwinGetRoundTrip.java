package lab.devicetwins.bench;

/**
 * Scenario 2: twin GET over raw MQTT/TLS, one client and 100 clients in closed loop, against Mosquitto's QoS 1
 * publish to the client's own subscription. Goal: hub/Mosquitto p50 ratio at most 1.5.
 */
final class TwinGetRoundTrip implements Scenario, Bench.SharesTheHub {
    static final double GOAL_RATIO = 1.5;

    @Override
    public String name() {
        return "twin-get";
    }

    @Override
    public SummaryLine run(BenchContext context) throws Exception {
        SideBySide one = SideBySide.measure(context, "twin-get 1 client", 1, Exchange.TWIN_GET, Exchange.ECHO);
        SideBySide hundred = SideBySide.measure(context, "twin-get 100 clients", 100, Exchange.TWIN_GET, Exchange.ECHO);
        if (context.bench().profile()) {
            SideBySide.profile(context, "twin-get 1 client", 1, Exchange.TWIN_GET);
            SideBySide.profile(context, "twin-get 100 clients", 100, Exchange.TWIN_GET);
        }
        return new SummaryLine(name())
                .put("hub_p50_1c_us", one.hub.p50)
                .put("mosq_p50_1c_us", one.mosquitto.p50)
                .put("ratio_p50_1c", one.p50Ratio)
                .put("hub_p99_1c_us", one.hub.p99)
                .put("mosq_p99_1c_us", one.mosquitto.p99)
                .put("hub_p50_100c_us", hundred.hub.p50)
                .put("mosq_p50_100c_us", hundred.mosquitto.p50)
                .put("ratio_p50_100c", hundred.p50Ratio)
                .put("hub_rps_100c", hundred.hub.perSecond)
                .put("mosq_rps_100c", hundred.mosquitto.perSecond)
                .put("hub_cpu_pct_100c", hundred.hub.serverCpu)
                .put("mosq_cpu_pct_100c", hundred.mosquitto.serverCpu)
                .put("gen_cpu_pct_100c_hub", hundred.hub.generatorCpu)
                .put("gen_cpu_pct_100c_mosq", hundred.mosquitto.generatorCpu)
                .put("hub_cpu_us_per_op_100c", hundred.hub.serverMicrosPerOp)
                .put("mosq_cpu_us_per_op_100c", hundred.mosquitto.serverMicrosPerOp)
                .put("errors", one.hub.errors + hundred.hub.errors + one.mosquitto.errors + hundred.mosquitto.errors)
                .put("goal", "ratio_p50<=" + GOAL_RATIO)
                .put("verdict_1c", SideBySide.verdict(one.p50Ratio.median() <= GOAL_RATIO))
                .put("verdict_100c", SideBySide.verdict(hundred.p50Ratio.median() <= GOAL_RATIO));
    }
}
