package lab.devicetwins.localhub.cli;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.LocalHubException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar local-hub.jar start [--data-dir DIR] [--in-memory] [--host 127.0.0.1]} */
@Command(name = "local-hub", mixinStandardHelpOptions = true, version = "local-hub 0.1.0",
        description = "A local Azure IoT Hub (device twins) for learning and testing with the official SDKs.",
        subcommands = {LocalHubCommand.Start.class})
public final class LocalHubCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalHubCommand()).execute(args));
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the hub and keep it running until Ctrl-C.")
    static final class Start implements Callable<Integer> {
        @Option(names = "--data-dir", description = "where identities, twins, certificates and hub.env live (default: ${DEFAULT-VALUE})",
                defaultValue = ".localhub")
        Path dataDir;

        @Option(names = "--in-memory", description = "keep no identities or twins between runs (certificates and hub.env are still written)")
        boolean inMemory;

        // the same default as LocalHub.builder(): the system property localhub.host, else 127.0.0.1
        @Option(names = "--host", description = "HostName of the connection strings and address to listen on (default: ${DEFAULT-VALUE})",
                defaultValue = "${sys:localhub.host:-127.0.0.1}")
        String host;

        @Option(names = "--mqtt-port", description = "MQTT/TLS port; the device SDK only uses 8883 (default: ${DEFAULT-VALUE})",
                defaultValue = "8883")
        int mqttPort;

        @Option(names = "--https-port", description = "HTTPS port; default: 443 when allowed, else a free port behind the proxy")
        Integer httpsPort;

        @Option(names = "--proxy-port", description = "HTTP CONNECT proxy port; 0 picks a free one, -1 disables it (default: ${DEFAULT-VALUE})",
                defaultValue = "0")
        int proxyPort;

        @Option(names = "--request-log", description = "print one line per HTTPS request and per MQTT connect, "
                + "refusal and disconnect, with the reason a client was refused (never a key or token)")
        boolean requestLog;

        @Override
        public Integer call() throws Exception {
            LocalHub.Builder builder = LocalHub.builder().dataDirectory(dataDir).host(host).mqttPort(mqttPort)
                    .proxyPort(proxyPort);
            if (requestLog) {
                builder.requestLog(line -> {
                    System.out.println(line);
                    System.out.flush();
                });
            }
            if (inMemory) {
                builder.inMemory();
            }
            if (httpsPort != null) {
                builder.httpsPort(httpsPort);
            }
            LocalHub hub;
            try {
                hub = builder.start();
            } catch (LocalHubException e) {
                System.err.println("local-hub: " + e.getMessage());
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("local-hub: stopping");
                hub.close();
                stopped.countDown();
            }, "localhub-shutdown"));
            Path env = HubEnvFile.write(dataDir, hub);
            System.out.println("Local IoT Hub " + (inMemory ? "(in memory) " : "") + "data directory: "
                    + dataDir.toAbsolutePath());
            System.out.println("  MQTT (devices):   mqtts://" + hub.hostName() + ":" + hub.mqttPort());
            System.out.println("  HTTPS (service):  https://" + hub.hostName() + ":" + hub.httpsPort()
                    + (hub.httpsOnStandardPort() ? "" : "  (not 443: service clients go through the proxy)"));
            hub.proxyAddress().ifPresent(p -> System.out.println("  CONNECT proxy:    http://" + hub.hostName() + ":" + p.getPort()));
            System.out.println("  CA certificate:   " + hub.caPemFile().map(Path::toString).orElse("(in memory)"));
            System.out.println();
            HubEnvFile.entries(hub).forEach((k, v) -> {
                if (k.startsWith("IOTHUB_")) {
                    System.out.println(k + "=" + v);
                }
            });
            System.out.println();
            System.out.println("Wrote " + env.toAbsolutePath() + " (source it, or let the tutorial apps read it).");
            System.out.println("local-hub: ready (Ctrl-C to stop)");
            System.out.flush();
            stopped.await();
            return 0;
        }
    }
}
