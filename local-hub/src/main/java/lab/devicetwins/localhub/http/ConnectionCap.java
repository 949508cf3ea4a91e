package lab.devicetwins.localhub.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Counts the open connections of one port against its cap. A flood of connections would otherwise log a line per
 * refused connection, so a burst of refusals logs once when it starts and once when the port accepts again.
 * Safe to use from every event loop.
 */
final class ConnectionCap {
    private static final Logger LOG = Logger.getLogger(ConnectionCap.class.getName());

    private final String port;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger refusedInBurst = new AtomicInteger();

    /** {@code port} names the port in log lines, e.g. "HTTPS". */
    ConnectionCap(String port, int max) {
        this.port = port;
        this.max = max;
    }

    /** Counts a new connection in; false when the port is full and the connection must be closed. */
    boolean tryOpen() {
        while (true) {
            int now = open.get();
            if (now >= max) {
                if (refusedInBurst.getAndIncrement() == 0) {
                    LOG.warning("the " + port + " port is at its limit of " + max + " open connections: new"
                            + " connections are closed until some of those end");
                }
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Counts a connection that {@link #tryOpen()} let in out again. */
    void closed() {
        int now = open.decrementAndGet();
        if (now < max) {
            int refused = refusedInBurst.getAndSet(0);
            if (refused > 0) {
                LOG.log(Level.INFO, "the " + port + " port accepts connections again; it closed " + refused
                        + " over its limit of " + max);
            }
        }
    }
}
