package lab.devicetwins.tutorial.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import lab.devicetwins.localhub.process.LocalHubProcess;
import lab.devicetwins.tutorial.shared.TargetHub;

/**
 * Gives tests a local hub started as a separate process, reached only through the variables of its hub.env:
 * the path a learner takes with a real hub, where the connection strings are all the apps get. One hub per
 * test JVM (the device SDK only speaks to port 8883), with a new temporary data directory, started as a learner
 * starts it in another terminal but with HTTPS on a free port behind the CONNECT proxy (443 needs root).
 */
final class SeparateHubProcess implements ParameterResolver {

    /** Set by the failsafe configuration in e2e-tests/pom.xml. */
    static final String JAR_PROPERTY = "localhub.jar";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == TestHub.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return extension.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SeparateHubProcess.class, key -> start(), TestHub.class);
    }

    private static TestHub start() {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null) {
            throw new IllegalStateException("Set -D" + JAR_PROPERTY + "=<path of local-hub.jar> (e2e-tests/pom.xml does it for failsafe)");
        }
        try {
            LocalHubProcess hub = LocalHubProcess.builder(Path.of(jar))
                    .host(System.getProperty("localhub.host", "127.0.0.1"))
                    .arguments("--https-port", "0")
                    .start();
            try {
                return new TestHub(TargetHub.resolve(hub.hubEnv().values()), hub::close, null, hub.dataDirectory());
            } catch (RuntimeException e) {
                hub.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
