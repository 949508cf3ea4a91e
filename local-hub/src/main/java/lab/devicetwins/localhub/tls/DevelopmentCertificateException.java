package lab.devicetwins.localhub.tls;

/** A file in the hub's {@code tls} directory cannot be used; the message names it and says how to recover. */
public final class DevelopmentCertificateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DevelopmentCertificateException(String message, Throwable cause) {
        super(message, cause);
    }
}
