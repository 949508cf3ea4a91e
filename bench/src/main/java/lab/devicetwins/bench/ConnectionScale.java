package lab.devicetwins.bench;

final class ConnectionScale implements Scenario {
    @Override
    public String name() {
        return "connections";
    }

    @Override
    public SummaryLine run(BenchContext context) {
        throw new UnsupportedOperationException("not yet");
    }
}
