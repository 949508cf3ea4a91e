package lab.devicetwins.bench;

final class TwinQueries implements Scenario {
    @Override
    public String name() {
        return "queries";
    }

    @Override
    public SummaryLine run(BenchContext context) {
        throw new UnsupportedOperationException("not yet");
    }
}
