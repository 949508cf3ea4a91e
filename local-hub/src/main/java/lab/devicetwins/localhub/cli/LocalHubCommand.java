package lab.devicetwins.localhub.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.LocalHubException;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.localhub.registry.DeviceIds;
import lab.devicetwins.localhub.tls.DevelopmentCertificates;
import lab.devicetwins.localhub.tls.DeviceCertificate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar local-hub.jar start [--data-dir DIR] [--in-memory] [--host 127.0.0.1] [--device-ca FILE]...}, and
 * {@code device-cert <deviceId> [--data-dir DIR] [--out DIR]} for a device certificate from the development CA.
 */
@Command(name = "local-hub", mixinStandardHelpOptions = true, version = "local-hub 0.1.0",
        description = "A local Azure IoT Hub (device twins) for learning and testing with the official SDKs.",
        subcommands = {LocalHubCommand.Start.class, LocalHubCommand.DeviceCert.class, DropConnectionCommand.class,
                SendMessageCommand.class})
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

        @Option(names = "--inspector-port", description = "port of the inspector, a web page on 127.0.0.1 to watch and "
                + "change twins live; 0 picks a free one, -1 turns it off (default: ${DEFAULT-VALUE})",
                defaultValue = "0")
        int inspectorPort;

        @Option(names = "--request-log", description = "print one line per HTTPS request and per MQTT connect, "
                + "refusal and disconnect, with the reason a client was refused (never a key or token)")
        boolean requestLog;

        @Option(names = "--device-ca", paramLabel = "FILE", description = "a PEM CA certificate whose signed device "
                + "certificates (subject CN = device id) prove devices of authentication type certificateAuthority; "
                + "repeatable. The hub's own development CA is always trusted.")
        List<Path> deviceCas = new ArrayList<>();

        @Option(names = "--active-job-limit", paramLabel = "N", description = "jobs that may be scheduled or running "
                + "at once; one more gets 429 (default: the profile's tier, 1 on free and s1, 5 on s2, 10 on s3 and "
                + "local)")
        Integer activeJobLimit;

        @Option(names = "--profile", paramLabel = "NAME", description = "how real the hub behaves: local (instant, "
                + "never throttles; the default), or an IoT Hub tier: free, s1, s2, s3, with its throttles, query lag, "
                + "identity propagation and SAS clock skew (see docs/local-hub.md, \"Realistic mode\")",
                defaultValue = "local")
        String profile;

        @Option(names = "--units", paramLabel = "N", description = "units of the tier (default: ${DEFAULT-VALUE}; "
                + "free has 1, s1 and s2 up to 200, s3 up to 10)", defaultValue = "1")
        int units;

        @Option(names = "--shaping-limit", paramLabel = "DURATION", description = "how long a request over its "
                + "throttle is held before it gets 429, e.g. 0, 500ms, 5s (default: the profile's)")
        String shapingLimit;

        @Option(names = "--query-lag", paramLabel = "DURATION", description = "how far queries trail writes "
                + "(default: the profile's; 3s for tiers)")
        String queryLag;

        @Option(names = "--identity-propagation", paramLabel = "DURATION", description = "how long a new identity's "
                + "connections are refused with CONNACK 3 (default: the profile's; 2s for tiers)")
        String identityPropagation;

        @Option(names = "--sas-expiry-tolerance", paramLabel = "DURATION", description = "how long after its expiry "
                + "a SAS token is still accepted (default: the profile's; 5m for tiers)")
        String sasExpiryTolerance;

        @Option(names = "--connected-token-grace", paramLabel = "DURATION", description = "how long after its "
                + "token expired a connected device is disconnected (default: the profile's; 10m for tiers)")
        String connectedTokenGrace;

        /** The profile the options name, with each knob given replacing the profile's own. */
        HubProfile hubProfile() {
            HubProfile chosen = HubProfile.named(profile, units);
            chosen = knob(chosen, shapingLimit, HubProfile::withShapingLimit);
            chosen = knob(chosen, queryLag, HubProfile::withQueryLag);
            chosen = knob(chosen, identityPropagation, HubProfile::withIdentityPropagation);
            chosen = knob(chosen, sasExpiryTolerance, HubProfile::withSasExpiryTolerance);
            return knob(chosen, connectedTokenGrace, HubProfile::withConnectedTokenGrace);
        }

        /** The profile with one knob set when its option was given. */
        private static HubProfile knob(HubProfile profile, String option,
                                       BiFunction<HubProfile, Duration, HubProfile> setting) {
            return option == null ? profile : setting.apply(profile, HubProfile.parseDuration(option));
        }

        /** The hub as the options describe it; {@link #call()} starts it. */
        LocalHub.Builder builder() {
            LocalHub.Builder builder = LocalHub.builder().dataDirectory(dataDir).host(host).mqttPort(mqttPort)
                    .proxyPort(proxyPort).inspectorPort(inspectorPort).profile(hubProfile());
            if (activeJobLimit != null) {
                builder.activeJobLimit(activeJobLimit);
            }
            deviceCas.forEach(builder::trustedDeviceCa);
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
            return builder;
        }

        @Override
        public Integer call() throws Exception {
            LocalHub hub;
            try {
                hub = builder().start();
            } catch (LocalHubException | IllegalArgumentException e) {
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
            hub.inspectorUrl().ifPresent(url -> System.out.println("  Inspector:        " + url
                    + "  (open it in a browser; the token changes at each start)"));
            System.out.println("  Profile:          " + hub.profile().summary());
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

    @Command(name = "device-cert", mixinStandardHelpOptions = true,
            description = "Write a device certificate and its key, signed by the hub's development CA (subject CN = "
                    + "the device id), for a device registered with authentication type certificateAuthority.")
    static final class DeviceCert implements Callable<Integer> {
        @CommandLine.Parameters(paramLabel = "deviceId", description = "the device id, which becomes the certificate's CN")
        String deviceId;

        @Option(names = "--data-dir", description = "the hub's data directory, whose tls/ holds the development CA "
                + "(created if missing) (default: ${DEFAULT-VALUE})", defaultValue = ".localhub")
        Path dataDir;

        @Option(names = "--out", paramLabel = "DIR", description = "where to write {deviceId}.cert.pem and "
                + "{deviceId}.key.pem (default: ${DEFAULT-VALUE})", defaultValue = ".")
        Path out;

        @Override
        public Integer call() {
            try {
                DeviceIds.requireValid(deviceId);
            } catch (HubException e) {
                System.err.println("local-hub: " + e.getMessage());
                return 2;
            }
            try {
                DeviceCertificate certificate = DevelopmentCertificates.loadOrCreate(dataDir, List.of())
                        .issueDeviceCertificate(deviceId);
                List<Path> files = certificate.writePemFiles(out, deviceId);
                System.out.println("Wrote " + files.get(0) + " (certificate, then the development CA)");
                System.out.println("Wrote " + files.get(1) + " (private key, keep it to yourself)");
                System.out.println("Register '" + deviceId + "' with authentication type certificateAuthority; its "
                        + "connection string is HostName=<host>;DeviceId=" + deviceId + ";x509=true");
                return 0;
            } catch (IOException | RuntimeException e) {
                System.err.println("local-hub: cannot write the device certificate: " + e.getMessage());
                return 1;
            }
        }
    }
}
