package lab.devicetwins.localhub.store;

import static lab.devicetwins.localhub.store.StoreFixtures.identity;
import static lab.devicetwins.localhub.store.StoreFixtures.twin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class StoreWriterTest {

    @Test
    void a_future_completes_once_its_op_is_in_the_store() throws Exception {
        InMemoryHubStore store = new InMemoryHubStore();
        try (StoreWriter writer = new StoreWriter(store, ops -> { })) {
            writer.submit(new StoreOp.SaveDevice(identity("dev1"), twin())).get(10, TimeUnit.SECONDS);

            assertThat(store.loadDevice("dev1")).isPresent();
        }
    }

    @Test
    void a_failed_commit_is_reported_with_its_ops_before_their_futures_fail() throws Exception {
        FailingHubStore store = new FailingHubStore(new InMemoryHubStore());
        List<StoreOp> rolledBack = new CopyOnWriteArrayList<>();
        List<Boolean> futureDoneWhenTold = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
        CountDownLatch registered = new CountDownLatch(1);
        try (StoreWriter writer = new StoreWriter(store, ops -> {
            rolledBack.addAll(ops);
            try {
                registered.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            futureDoneWhenTold.add(futures.get(0).isDone());
        })) {
            store.failNext(1);
            StoreOp op = new StoreOp.SaveDevice(identity("dev1"), twin());
            futures.add(writer.submit(op));
            registered.countDown();

            assertThatThrownBy(() -> futures.get(0).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreException.class);
            assertThat(rolledBack).containsExactly(op);
            assertThat(futureDoneWhenTold).containsExactly(false);
            assertThat(store.loadDevice("dev1")).isEmpty();

            writer.submit(op).get(10, TimeUnit.SECONDS);
            assertThat(store.loadDevice("dev1")).isPresent();
        }
    }

    @Test
    void after_close_a_submit_fails_at_once() {
        StoreWriter writer = new StoreWriter(new InMemoryHubStore(), ops -> { });
        writer.close();

        CompletableFuture<Void> late = writer.submit(new StoreOp.DeleteDevice("dev1"));

        assertThat(late).isCompletedExceptionally();
    }

    /** Submits racing a close: every future completes, and every op whose future succeeded is in the store. */
    @RepeatedTest(20)
    void no_submit_racing_close_is_left_without_an_answer() throws Exception {
        InMemoryHubStore store = new InMemoryHubStore();
        StoreWriter writer = new StoreWriter(store, ops -> { });
        int threads = 4;
        int perThread = 200;
        List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    futures.add(writer.submit(new StoreOp.SaveDevice(identity("d" + id + "-" + i), twin())));
                }
            });
            thread.start();
            submitters.add(thread);
        }
        start.countDown();
        writer.close();
        for (Thread thread : submitters) {
            thread.join();
        }

        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .handle((x, e) -> null).get(10, TimeUnit.SECONDS);
        long committed = futures.stream().filter(f -> !f.isCompletedExceptionally()).count();
        assertThat(futures).hasSize(threads * perThread).allMatch(CompletableFuture::isDone);
        assertThat(store.loadDevices()).hasSize((int) committed);
    }
}
