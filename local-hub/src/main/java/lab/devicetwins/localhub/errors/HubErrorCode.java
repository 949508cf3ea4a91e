package lab.devicetwins.localhub.errors;

/**
 * The IoT Hub error codes the local hub answers with: the HTTP (or MQTT twin) status and the six-digit code
 * that the official SDKs map to a named error.
 */
public enum HubErrorCode {
    INVALID_PROTOCOL_VERSION(400, 400001),
    INVALID_OPERATION(400, 400003),
    ARGUMENT_INVALID(400, 400004),
    ARGUMENT_NULL(400, 400005),
    IOT_HUB_FORMAT_ERROR(400, 400006),
    IOT_HUB_UNAUTHORIZED_ACCESS(401, 401002),
    IOT_HUB_UNAUTHORIZED(401, 401003),
    IOT_HUB_QUOTA_EXCEEDED(403, 403002),
    DEVICE_DISABLED(403, 403012),
    DEVICE_NOT_FOUND(404, 404001),
    MODULE_NOT_FOUND(404, 404010),
    DEVICE_NOT_ONLINE(404, 404103),
    /** Not a hub code: the local hub's answer to a path that is no IoT Hub API. */
    ROUTE_NOT_FOUND(404, 404000),
    METHOD_NOT_ALLOWED(405, 405000),
    DEVICE_ALREADY_EXISTS(409, 409001),
    PRECONDITION_FAILED(412, 412001),
    MESSAGE_TOO_LARGE(413, 413001),
    THROTTLING_EXCEPTION(429, 429001),
    SERVER_ERROR(500, 500001),
    /** Not a hub code: an IoT Hub API the local hub does not implement. */
    NOT_IMPLEMENTED(501, 501000),
    SERVICE_UNAVAILABLE(503, 503001);

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
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return name.toString();
    }
}
