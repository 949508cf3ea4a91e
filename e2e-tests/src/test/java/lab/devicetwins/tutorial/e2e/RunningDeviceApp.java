package lab.devicetwins.tutorial.e2e;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;

/** A device app running on its own thread, as it would in its own terminal; its output is kept for assertions. */
final class RunningDeviceApp implements AutoCloseable {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ResilientDeviceApp app;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    RunningDeviceApp(String connectionString, IotHubClientProtocol protocol, ClientOptions options,
                     String connectivityType) {
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        app = new ResilientDeviceApp(connectionString, protocol, options, connectivityType, out);
        thread = new Thread(() -> {
            try {
                app.run(null);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "device-app");
        thread.start();
    }

    String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    ResilientDeviceApp app() {
        return app;
    }

    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        app.stop();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.close();
    }
}
