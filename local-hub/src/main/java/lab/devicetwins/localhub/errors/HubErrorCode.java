package lab.devicetwins.localhub.errors;

import java.util.Locale;

/**
 * The IoT Hub error codes the local hub answers with: the HTTP (or MQTT twin) status and the six-digit code
 * that the official SDKs map to a named error.
 */
public enum HubErrorCode {
    ARGUMENT_INVALID(400, 400004),
    /** A bulk registry request names one identity twice. */
    DEVICE_DEFINED_MULTIPLE_TIMES(400, 400011),
    IOT_HUB_UNAUTHORIZED_ACCESS(401, 401002),
    /** A device's queue already holds as many cloud-to-device messages as IoT Hub allows. */
    DEVICE_MAXIMUM_QUEUE_DEPTH_EXCEEDED(403, 403004),
    DEVICE_NOT_FOUND(404, 404001),
    /** The device exists, the module named on it does not. */
    MODULE_NOT_FOUND(404, 404010),
    /** A direct method's device is not connected, or not subscribed to methods. */
    DEVICE_NOT_ONLINE(404, 404103),
    /** No job has this id (any more). */
    JOB_NOT_FOUND(404, 404002),
    /** Not a hub code: the local hub's answer to a path that is no IoT Hub API. */
    ROUTE_NOT_FOUND(404, 404000),
    METHOD_NOT_ALLOWED(405, 405000),
    DEVICE_ALREADY_EXISTS(409, 409001),
    MODULE_ALREADY_EXISTS_ON_DEVICE(409, 409301),
    /** A job with this id exists; IoT Hub's six-digit code for it is not documented, the conflict code is used. */
    JOB_ALREADY_EXISTS(409, 409001),
    PRECONDITION_FAILED(412, 412001),
    MESSAGE_TOO_LARGE(413, 413001),
    /** A bulk registry request with more identities than IoT Hub takes in one call. */
    TOO_MANY_DEVICES(413, 413002),
    /** A device already has as many modules as the hub allows. */
    TOO_MANY_MODULES_ON_DEVICE(413, 413003),
    /** An operation over its throttle, past traffic shaping (realistic mode's tier profiles). */
    THROTTLING_EXCEPTION(429, 429001),
    /** As many jobs as the hub runs at once are active already (IoT Hub: 1 on S1, 5 on S2, 10 on S3). */
    THROTTLING_MAX_ACTIVE_JOB_COUNT_EXCEEDED(429, 429004),
    SERVER_ERROR(500, 500001),
    /** The hub is stopping (or cannot serve the request now). */
    SERVICE_UNAVAILABLE(503, 503001),
    /** A direct method's device did not answer within the response timeout. */
    GATEWAY_TIMEOUT(504, 504101),
    /** Not a hub code: an IoT Hub API the local hub does not implement. */
    NOT_IMPLEMENTED(501, 501000);

    private final int status;
    private final int code;

    HubErrorCode(int status, int code) {
        this.status = status;
        this.code = code;
    }

    /** The HTTP status, also used as the status of MQTT twin responses. */
    public int status() {
        return status;
    }

    /** The six-digit IoT Hub error code. */
    public int code() {
        return code;
    }

    /** The hub's name for the code, as sent in the {@code iothub-errorcode} header: {@code DeviceNotFound}. */
    public String hubName() {
        StringBuilder name = new StringBuilder();
        for (String word : name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }
}
