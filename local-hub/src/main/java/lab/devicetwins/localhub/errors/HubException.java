package lab.devicetwins.localhub.errors;

/** A request the hub refuses, with the error code and message that go back to the client. */
public class HubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HubErrorCode errorCode;

    public HubException(HubErrorCode errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public HubErrorCode errorCode() {
        return errorCode;
    }
}
