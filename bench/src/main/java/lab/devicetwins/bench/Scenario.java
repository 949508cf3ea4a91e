package lab.devicetwins.bench;

/** One numbered benchmark scenario; prints details as {@code #} lines and returns its summary line. */
interface Scenario {
    /** The name {@code bench/run.sh} takes, e.g. {@code twin-get}. */
    String name();

    SummaryLine run(BenchContext context) throws Exception;
}
