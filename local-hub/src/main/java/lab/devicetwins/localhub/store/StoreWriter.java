package lab.devicetwins.localhub.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single writer of a {@link HubStore}. Callers submit ops and get a future that completes once the op is
 * committed; the hub acknowledges a request only then, so a crash never loses an acknowledged change. Ops that arrive
 * while a commit runs are committed together in the next transaction (group commit).
 *
 * <p>Every future completes: committed, failed with the transaction, or failed because the writer was closed before
 * the op was accepted. An op accepted before {@link #close()} is committed before the writer stops.
 */
public final class StoreWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StoreWriter.class.getName());
    private static final int MAX_BATCH = 2048;
    /** Queued by {@link #close()} behind every accepted op: the writer stops when it reaches it. */
    private static final Pending END = new Pending(null, null);

    private final HubStore store;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Consumer<List<StoreOp>> onFailedBatch;
    private final Object acceptLock = new Object();
    private boolean accepting = true;

    private record Pending(StoreOp op, CompletableFuture<Void> committed) {
    }

    /**
     * @param onFailedBatch told which ops were rolled back, before their futures fail, so the caller can put the
     *                      state they touched back to what the store holds
     */
    public StoreWriter(HubStore store, Consumer<List<StoreOp>> onFailedBatch) {
        this.store = store;
        this.onFailedBatch = onFailedBatch;
        this.thread = new Thread(this::run, "localhub-store-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues an op; the future completes after commit, or exceptionally when the transaction fails. */
    public CompletableFuture<Void> submit(StoreOp op) {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        // Checked and queued under one lock, so close() cannot slip in between and leave this op behind its END.
        synchronized (acceptLock) {
            if (accepting) {
                queue.add(new Pending(op, committed));
                return committed;
            }
        }
        committed.completeExceptionally(new StoreException("the hub is shutting down", null));
        return committed;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        boolean ended = false;
        while (!ended) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failAll(new StoreException("the hub's store writer was interrupted", e));
                return;
            }
            int end = batch.indexOf(END);
            if (end >= 0) {
                ended = true;
                batch.subList(end, batch.size()).clear();
            }
            if (!batch.isEmpty()) {
                commit(batch);
            }
            batch.clear();
        }
    }

    private void commit(List<Pending> batch) {
        List<StoreOp> ops = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            ops.add(p.op());
        }
        try {
            store.apply(ops);
        } catch (RuntimeException e) {
            StoreException failure = e instanceof StoreException se ? se
                    : new StoreException("could not save to the hub database: " + e.getMessage(), e);
            LOG.log(Level.SEVERE, "a commit of " + ops.size() + " changes failed", e);
            try {
                onFailedBatch.accept(ops);
            } catch (RuntimeException reloadFailure) {
                LOG.log(Level.SEVERE, "could not restore the state of a failed commit", reloadFailure);
            } finally {
                batch.forEach(p -> p.committed().completeExceptionally(failure));
            }
            return;
        }
        batch.forEach(p -> p.committed().complete(null));
    }

    private void failAll(StoreException failure) {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.stream().filter(p -> p != END).forEach(p -> p.committed().completeExceptionally(failure));
    }

    /** Commits what was accepted, then stops the thread; later submits fail at once. */
    @Override
    public void close() {
        synchronized (acceptLock) {
            if (!accepting) {
                return;
            }
            accepting = false;
            queue.add(END);
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
