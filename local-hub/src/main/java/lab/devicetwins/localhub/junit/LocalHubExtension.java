package lab.devicetwins.localhub.junit;

import java.util.function.UnaryOperator;
import lab.devicetwins.localhub.LocalHub;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a local hub before the tests of a class and closes it after them; test methods and constructors can take
 * the {@link LocalHub} as a parameter.
 *
 * <pre>{@code
 * @ExtendWith(LocalHubExtension.class)           // in memory, defaults
 * class MyTwinTest { @Test void works(LocalHub hub) { ... } }
 *
 * @RegisterExtension                              // or configured
 * static LocalHubExtension hub = LocalHubExtension.with(b -> b.seedDevices(List.of("thermostat-1")));
 * }</pre>
 */
public final class LocalHubExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private final UnaryOperator<LocalHub.Builder> configuration;
    private LocalHub hub;

    /** An in-memory hub with the defaults. */
    public LocalHubExtension() {
        this(UnaryOperator.identity());
    }

    private LocalHubExtension(UnaryOperator<LocalHub.Builder> configuration) {
        this.configuration = configuration;
    }

    public static LocalHubExtension with(UnaryOperator<LocalHub.Builder> configuration) {
        return new LocalHubExtension(configuration);
    }

    /** The running hub (between before-all and after-all). */
    public LocalHub hub() {
        if (hub == null) {
            throw new IllegalStateException("the local hub runs only while the test class runs");
        }
        return hub;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        hub = configuration.apply(LocalHub.builder()).start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (hub != null) {
            hub.close();
            hub = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalHub.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return hub();
    }
}
