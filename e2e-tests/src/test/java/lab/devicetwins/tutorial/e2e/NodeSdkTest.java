package lab.devicetwins.tutorial.e2e;

import java.nio.file.Path;
import java.util.Map;
import lab.devicetwins.localhub.LocalHub;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the tests of a Node.js SDK script share: Node.js and the npm packages found before any hub starts (skipped
 * without them, as {@link NodeArticleTest} is), the embedded local hub only, and one way to run a script against it.
 */
@ExtendWith(HubUnderTest.class)
abstract class NodeSdkTest {
    private static NodeToolchain node;
    private static Path work;

    @BeforeAll
    static void findNodeAndPackages() {
        node = NodeScripts.toolchainOrSkip();
        work = NodeScripts.work();
        NodeScripts.requireInstalledPackages(work);
    }

    /** The hub in this JVM; the test is skipped when the suite runs against another hub. */
    static LocalHub embeddedHub(TestHub testHub) {
        LocalHub hub = testHub.embedded().orElse(null);
        Assumptions.assumeTrue(hub != null, "runs against the embedded local hub only");
        return hub;
    }

    /** Runs {@code src/test/node/{script}} against {@code hub} with {@code environment}; what it printed. */
    static String run(LocalHub hub, String script, Map<String, String> environment) throws Exception {
        return NodeScripts.runAgainst(hub, node, work, script, environment);
    }
}
