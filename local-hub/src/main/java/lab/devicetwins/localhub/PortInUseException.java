package lab.devicetwins.localhub;

/** A port the hub needs is taken, most often by another hub that is still running. */
public class PortInUseException extends LocalHubException {
    private static final long serialVersionUID = 1L;

    public PortInUseException(String what, int port, Throwable cause) {
        super("the " + what + " port " + port + " is already in use: stop the program that holds it"
                + " (another local hub?) or choose another port", cause);
    }
}
