package lab.devicetwins.bench;

import com.google.gson.JsonParser;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The load generator: Vert.x MQTT clients on two event loops (one per core), the same code for the hub and for
 * Mosquitto. Closed loop: each client has exactly one request outstanding and sends the next as soon as the answer
 * arrives, so throughput and latency are those of the server plus this generator, never of a queue.
 */
final class MqttLoad implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2)
            .setBlockedThreadCheckInterval(60_000));

    /** What one closed-loop run measured. */
    record Run(int clients, Latencies latencies, double seconds, long errors, long serverTicks, long generatorTicks,
               String serverThreads) {
        double perSecond() {
            return latencies.count() / seconds;
        }

        /** Server CPU as a share of one core. */
        double serverCpuPercent() {
            return 100.0 * serverTicks * ProcessCpu.TICK_MS / 1000.0 / seconds;
        }

        double generatorCpuPercent() {
            return 100.0 * generatorTicks * ProcessCpu.TICK_MS / 1000.0 / seconds;
        }

        /** Server CPU time per completed round trip, in microseconds. */
        double serverMicrosPerOp() {
            return serverTicks * ProcessCpu.TICK_MS * 1000.0 / Math.max(1, latencies.count());
        }
    }

    /** Connects {@code count} clients (at most {@code window} handshakes at a time); fails if any connection fails. */
    List<MqttClient> connect(Broker broker, int count, int window, Function<String, List<String>> subscriptions) {
        Connected connected = tryConnect(broker, count, window, subscriptions);
        if (!connected.failures().isEmpty()) {
            disconnect(connected.clients());
            throw new IllegalStateException(connected.failures().size() + " of " + count + " connections to "
                    + broker.side() + " failed, the first with: " + connected.failures().get(0),
                    connected.failures().get(0));
        }
        return connected.clients();
    }

    /** Clients that connected and subscribed, and the causes of those that did not. */
    record Connected(List<MqttClient> clients, List<Throwable> failures) {
    }

    /**
     * Connects {@code count} clients, at most {@code window} handshakes at a time, each subscribed to its topics;
     * failed connections are counted, not retried.
     */
    Connected tryConnect(Broker broker, int count, int window, Function<String, List<String>> subscriptions) {
        List<MqttClient> clients = new ArrayList<>(count);
        AtomicInteger next = new AtomicInteger();
        Promise<Void> all = Promise.promise();
        AtomicInteger connected = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(null);
        }
        Runnable[] startNext = new Runnable[1];
        startNext[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= count) {
                return;
            }
            var options = broker.clientOptions(i);
            MqttClient client = MqttClient.create(vertx, options);
            clients.set(i, client);
            connectOne(client, broker, options.getClientId(), subscriptions).onComplete(ar -> {
                if (ar.failed()) {
                    failures.add(ar.cause());
                }
                if (connected.incrementAndGet() == count) {
                    all.complete();
                } else {
                    startNext[0].run();
                }
            });
        };
        for (int i = 0; i < Math.min(window, count); i++) {
            startNext[0].run();
        }
        try {
            all.future().toCompletionStage().toCompletableFuture().get(30 + count / 50, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("connecting " + count + " clients to " + broker.side() + " failed after "
                    + connected.get() + ": " + e, e);
        }
        List<MqttClient> live = new ArrayList<>();
        for (MqttClient c : clients) {
            if (c != null && c.isConnected()) {
                live.add(c);
            }
        }
        return new Connected(live, failures);
    }

    private static Future<Void> connectOne(MqttClient client, Broker broker, String clientId, Function<String, List<String>> subscriptions) {
        Promise<Void> subscribed = Promise.promise();
        client.subscribeCompletionHandler(ack -> {
            if (ack.grantedQoSLevels().contains(0x80)) {
                subscribed.tryFail("subscription refused: " + ack.grantedQoSLevels());
            } else {
                subscribed.tryComplete();
            }
        });
        return client.connect(broker.port(), broker.host())
                .compose(ack -> {
                    Map<String, Integer> topics = new LinkedHashMap<>();
                    subscriptions.apply(clientId).forEach(t -> topics.put(t, 1));
                    return client.subscribe(topics);
                })
                .compose(id -> subscribed.future());
    }

    /** A closed-loop run: connect, warm up, measure, stop, disconnect. */
    Run closedLoop(Broker broker, Exchange exchange, int clientCount, int warmupSeconds, int seconds)
            throws InterruptedException {
        List<MqttClient> clients = connect(broker, clientCount, 100, exchange::subscriptions);
        Phase phase = new Phase();
        List<LoopClient> loops = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            MqttClient c = clients.get(i);
            LoopClient loop = new LoopClient(c, broker.hub() ? BenchDevices.mqttDeviceId(i) : "bench-client-" + i,
                    exchange, phase);
            c.publishHandler(loop::onMessage);
            loops.add(loop);
        }
        loops.forEach(LoopClient::send);
        Thread.sleep(warmupSeconds * 1000L);

        long serverBefore = ProcessCpu.ticks(broker.pid());
        long selfBefore = ProcessCpu.selfTicks();
        var threadsBefore = ProcessCpu.ticksByThreadGroup(broker.pid());
        long start = System.nanoTime();
        phase.measuring = true;
        Thread.sleep(seconds * 1000L);
        phase.measuring = false;
        phase.stopped = true;
        long end = System.nanoTime();
        long serverTicks = ProcessCpu.ticks(broker.pid()) - serverBefore;
        long selfTicks = ProcessCpu.selfTicks() - selfBefore;
        String threads = ProcessCpu.describe(threadsBefore, ProcessCpu.ticksByThreadGroup(broker.pid()));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (LoopClient loop : loops) {
            while (!loop.idle() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        disconnect(clients);
        Latencies all = new Latencies();
        long errors = 0;
        for (LoopClient loop : loops) {
            synchronized (loop) {
                all.addAll(loop.latencies);
                errors += loop.errors;
            }
        }
        return new Run(clientCount, all, (end - start) / 1e9, errors, serverTicks, selfTicks, threads);
    }

    /**
     * Runs the exchange in closed loop for {@code seconds}, then calls {@code crash} while requests are in flight and
     * returns, per client id, the last {@code $version} the server acknowledged before it went away.
     */
    Map<String, Long> runUntilCrash(Broker broker, Exchange exchange, int clientCount, int seconds, Runnable crash)
            throws InterruptedException {
        List<MqttClient> clients = connect(broker, clientCount, 100, exchange::subscriptions);
        Phase phase = new Phase();
        List<LoopClient> loops = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            LoopClient loop = new LoopClient(clients.get(i), BenchDevices.mqttDeviceId(i), exchange, phase);
            clients.get(i).publishHandler(loop::onMessage);
            loops.add(loop);
        }
        loops.forEach(LoopClient::send);
        Thread.sleep(seconds * 1000L);
        crash.run();
        Thread.sleep(1000);
        phase.stopped = true;
        Map<String, Long> acked = new LinkedHashMap<>();
        for (LoopClient loop : loops) {
            synchronized (loop) {
                acked.put(loop.clientId, loop.lastAckedVersion);
            }
        }
        disconnect(clients);
        return acked;
    }

    /** The reported {@code $version} of each client's twin, read with a twin GET over MQTT. */
    Map<String, Long> reportedVersions(Broker broker, int clientCount) throws Exception {
        List<MqttClient> clients = connect(broker, clientCount, 100, Exchange.TWIN_GET::subscriptions);
        Map<String, Long> versions = new ConcurrentHashMap<>();
        CountDownLatch answered = new CountDownLatch(clients.size());
        for (int i = 0; i < clients.size(); i++) {
            String deviceId = BenchDevices.mqttDeviceId(i);
            MqttClient c = clients.get(i);
            c.publishHandler(m -> {
                var twin = JsonParser.parseString(m.payload().toString()).getAsJsonObject();
                versions.put(deviceId, twin.getAsJsonObject("reported").get("$version").getAsLong());
                answered.countDown();
            });
            c.publish(Exchange.TWIN_GET.requestTopic(deviceId, 1), Buffer.buffer(), MqttQoS.AT_LEAST_ONCE, false, false);
        }
        answered.await(60, TimeUnit.SECONDS);
        disconnect(clients);
        return versions;
    }

    void disconnect(List<MqttClient> clients) {
        List<Future<Void>> closing = new ArrayList<>();
        for (MqttClient c : clients) {
            if (c != null && c.isConnected()) {
                closing.add(c.disconnect().recover(e -> Future.succeededFuture()));
            }
        }
        try {
            Future.join(closing).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("# disconnecting took too long: " + e);
        }
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // the event loops are daemon threads: an interrupted close leaves them to the JVM's exit
            Thread.currentThread().interrupt();
        }
    }

    /** Shared by the clients of a run; written by the driving thread only. */
    private static final class Phase {
        volatile boolean measuring;
        volatile boolean stopped;
    }

    /** One client's loop; its handlers run on its event loop, the driver reads its figures after the run. */
    private static final class LoopClient {
        private final MqttClient client;
        private final String clientId;
        private final Exchange exchange;
        private final Phase phase;
        private final Latencies latencies = new Latencies();
        private long errors;
        private long lastAckedVersion = -1;
        private long seq;
        private long sentAt;
        private volatile boolean outstanding;

        LoopClient(MqttClient client, String clientId, Exchange exchange, Phase phase) {
            this.client = client;
            this.clientId = clientId;
            this.exchange = exchange;
            this.phase = phase;
        }

        synchronized void send() {
            seq++;
            outstanding = true;
            sentAt = System.nanoTime();
            client.publish(exchange.requestTopic(clientId, seq), exchange.requestPayload(seq), MqttQoS.AT_LEAST_ONCE,
                    false, false);
        }

        synchronized void onMessage(MqttPublishMessage message) {
            long now = System.nanoTime();
            if (!outstanding) {
                return;
            }
            outstanding = false;
            if (exchange.answers(message, seq)) {
                if (phase.measuring) {
                    latencies.add(now - sentAt);
                }
                int v = message.topicName().indexOf("$version=");
                if (v >= 0) {
                    lastAckedVersion = Long.parseLong(message.topicName().substring(v + "$version=".length()));
                }
            } else {
                errors++;
            }
            if (!phase.stopped) {
                send();
            }
        }

        boolean idle() {
            return !outstanding;
        }
    }
}
