package lab.devicetwins.tutorial.e2e;

import java.io.PrintStream;
import java.io.OutputStream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.tutorial.shared.TargetHub;

/**
 * Gives tests the hub they run against: the one in {@code IOTHUB_CONNECTION_STRING} (with RegistryWrite: the
 * tests create their own devices) when that is set, else one local hub started for the whole test JVM.
 * One hub per JVM because the device SDK only speaks to port 8883, which only one hub can hold.
 */
public final class HubUnderTest implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == TestHub.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return extension.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(TestHub.class, key -> start(), TestHub.class);
    }

    private static TestHub start() {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        String fromEnvironment = System.getenv("IOTHUB_CONNECTION_STRING");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return new TestHub(TargetHub.resolve(), null);
        }
        LocalHub hub = LocalHub.builder().inMemory().profile(profile()).start();
        return new TestHub(TargetHub.of(hub, quiet), hub::close, hub);
    }

    /**
     * The system property {@code localhub.profile} ({@code local} unless set; {@code localhub.units}, 1 unless set)
     * runs the tests against a local hub in realistic mode: the build runs the tutorial's scenarios once more under
     * {@code s1}.
     */
    static HubProfile profile() {
        return HubProfile.named(System.getProperty("localhub.profile", "local"),
                Integer.getInteger("localhub.units", 1));
    }
}
