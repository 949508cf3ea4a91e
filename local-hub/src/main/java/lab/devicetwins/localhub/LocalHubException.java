package lab.devicetwins.localhub;

/** The hub could not start or run. */
public class LocalHubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LocalHubException(String message, Throwable cause) {
        super(message, cause);
    }
}
