package lab.devicetwins.localhub.http;

import java.util.List;

/**
 * IoT Hub APIs the local hub knows but does not implement: answered 501 with a pointer to
 * docs/differences-from-iot-hub.md, without reading the body; a declared operation checks the caller's token first.
 */
final class UnimplementedApis {
    private UnimplementedApis() {
    }

    static List<ServiceRoute> routes() {
        return List.of(
                ServiceRoute.notImplemented("/devices/{id}/{part}/**"),   // messages, files
                ServiceRoute.notImplemented("/jobs/**"),
                ServiceRoute.notImplemented("/configurations/**"),
                ServiceRoute.notImplemented("/digitaltwins/**"),
                ServiceRoute.notImplemented("/messages/**"),
                ServiceRoute.notImplemented("/statistics/**"),
                ServiceRoute.notImplemented("/devicesStatistics/**"));
    }
}
