package lab.devicetwins.bench;

final class DeveloperLoop implements Scenario {
    @Override
    public String name() {
        return "dev-loop";
    }

    @Override
    public SummaryLine run(BenchContext context) {
        throw new UnsupportedOperationException("not yet");
    }
}
