package lab.devicetwins.tutorial.exercise;

import java.util.ArrayList;
import java.sql.Driver;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

/**
 * Runs the tests of one package and describes each outcome in plain strings. {@link StarterCheck} calls it
 * reflectively inside a class loader that holds the starters, so only JDK types may cross: one
 * {@code String[]} per test or failed container, laid out as {@link #FIELDS}.
 */
public final class StarterRun {

    /** The fields of each row, in order. */
    static final List<String> FIELDS = List.of("kind", "name", "tags", "status", "throwables");
    static final String SEPARATOR = "\n";

    private StarterRun() {
    }

    public static List<String[]> run(String packageName) {
        registerJdbcDrivers();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(packageName))
                .build();
        Launcher launcher = LauncherFactory.create();
        List<String[]> rows = new ArrayList<>();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    rows.add(row(test, result.getStatus().name(), throwables(result.getThrowable().orElse(null))));
                }
            }

            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                rows.add(row(test, "SKIPPED", reason));
            }
        });
        return rows;
    }

    /**
     * DriverManager looks for drivers once per JVM, on the system class path; the local hub's SQLite driver in
     * this class loader is only found once it is loaded here (a JDBC driver registers itself when loaded).
     */
    private static void registerJdbcDrivers() {
        for (Driver driver : ServiceLoader.load(Driver.class, StarterRun.class.getClassLoader())) {
            driver.getMajorVersion();
        }
    }

    private static String[] row(TestIdentifier test, String status, String throwables) {
        List<String> tags = test.getTags().stream().map(TestTag::getName).sorted().toList();
        return new String[] {test.isTest() ? "test" : "container", test.getLegacyReportingName() + " " + test.getUniqueId(),
                String.join(",", tags), status, throwables};
    }

    /** The exception and its causes, one "class: message" per line. */
    private static String throwables(Throwable thrown) {
        List<String> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && chain.size() < 10; t = t.getCause()) {
            chain.add(t.getClass().getName() + ": " + t.getMessage());
        }
        return String.join(SEPARATOR, chain);
    }
}
