package lab.devicetwins.bench;

final class DesiredPropagation implements Scenario {
    @Override
    public String name() {
        return "desired";
    }

    @Override
    public SummaryLine run(BenchContext context) {
        throw new UnsupportedOperationException("not yet");
    }
}
