package lab.devicetwins.localhub.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drop-connection}: asks the running hub (found through the hub.env of its data directory) to end a device's
 * or module's MQTT connection, as a network failure would, through its HTTPS API
 * ({@code POST /localhub/connections/{id}/drop}).
 */
@Command(name = "drop-connection", mixinStandardHelpOptions = true,
        description = "Drop the MQTT connection of a device (or module) of the running hub, as a network failure "
                + "would, to watch the app reconnect; optionally refuse its reconnects for a while.")
final class DropConnectionCommand implements Callable<Integer> {
    @Parameters(paramLabel = "deviceId", description = "the device whose connection to drop")
    String deviceId;

    @Option(names = "--module", paramLabel = "MODULE", description = "drop the connection of this module of the device")
    String moduleId;

    @Option(names = "--refuse-for", paramLabel = "SECONDS", defaultValue = "0",
            description = "refuse its reconnects for this many seconds (\"server unavailable\", which the SDKs retry) "
                    + "(default: ${DEFAULT-VALUE})")
    long refuseForSeconds;

    @Option(names = "--data-dir", description = "the running hub's data directory, holding its hub.env "
            + "(default: ${DEFAULT-VALUE})", defaultValue = ".localhub")
    Path dataDir;

    @Override
    public Integer call() {
        String path = "/localhub/connections/" + RunningHub.segment(deviceId)
                + (moduleId == null ? "" : "/modules/" + RunningHub.segment(moduleId)) + "/drop";
        return RunningHub.call(dataDir, path, "{\"refuseReconnectSeconds\":" + refuseForSeconds + "}", answer -> {
            String who = moduleId == null ? "device '" + deviceId + "'" : "module '" + deviceId + "/" + moduleId + "'";
            System.out.println(answer.get("wasConnected").getAsBoolean() ? "Dropped the MQTT connection of " + who + "."
                    : "The " + who + " was not connected; nothing to drop.");
            if (refuseForSeconds > 0) {
                System.out.println("Its reconnects are refused for " + refuseForSeconds + " s.");
            }
        });
    }
}
