package lab.devicetwins.localhub.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The single writer of the database. Callers submit ops and get a future that completes once the op is committed;
 * the hub acknowledges a request only then, so a crash never loses an acknowledged change. Ops that arrive while a
 * commit runs are committed together in the next transaction (group commit): one fsync-free WAL append for many
 * updates.
 */
public final class StoreWriter implements AutoCloseable {
    private static final int MAX_BATCH = 2048;

    private final SqliteHubStore store;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Consumer<List<StoreOp>> onFailedBatch;
    private volatile boolean running = true;

    private record Pending(StoreOp op, CompletableFuture<Void> committed) {
    }

    /**
     * @param onFailedBatch told which ops were rolled back, so the caller can reload the state they touched
     */
    public StoreWriter(SqliteHubStore store, Consumer<List<StoreOp>> onFailedBatch) {
        this.store = store;
        this.onFailedBatch = onFailedBatch;
        this.thread = new Thread(this::run, "localhub-store-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues an op; the future completes after commit, or exceptionally when the transaction fails. */
    public CompletableFuture<Void> submit(StoreOp op) {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        if (!running) {
            committed.completeExceptionally(new StoreException("the hub is shutting down", null));
            return committed;
        }
        queue.add(new Pending(op, committed));
        return committed;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.take();
                if (first.op() == null) {
                    continue; // wake-up marker from close()
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                batch.removeIf(p -> p.op() == null);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        List<StoreOp> ops = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            ops.add(p.op());
        }
        try {
            store.apply(ops);
            for (Pending p : batch) {
                p.committed().complete(null);
            }
        } catch (Exception e) {
            StoreException failure = new StoreException("could not save to the hub database: " + e.getMessage(), e);
            try {
                onFailedBatch.accept(ops);
            } finally {
                for (Pending p : batch) {
                    p.committed().completeExceptionally(failure);
                }
            }
        }
    }

    /** Commits what is queued, then stops the thread. */
    @Override
    public void close() {
        running = false;
        queue.add(new Pending(null, new CompletableFuture<>()));
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
