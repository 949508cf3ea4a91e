package lab.devicetwins.localhub.core;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.json.StrictJson;
import lab.devicetwins.localhub.registry.IdentityKey;

/**
 * Direct methods: a service's call to a connected device or module, answered by the device. A call is sent to the
 * identity when it is connected and subscribed to methods ({@link Devices}); with a connect timeout, the call waits
 * that long for the identity to become so, and otherwise fails with 404 DeviceNotOnline. Once sent, the device has the
 * response timeout to answer on the request's {@code $rid}; later it is 504 GatewayTimeout and a late answer is
 * dropped. Answers are matched by request id and identity only, so several calls may be outstanding at once.
 */
public final class DirectMethods implements AutoCloseable {
    /** IoT Hub's limit on a method's payload, each way. */
    public static final int MAX_PAYLOAD_BYTES = 128 * 1024;
    /** IoT Hub's bounds on the timeouts, in seconds. */
    public static final int MIN_RESPONSE_TIMEOUT = 5;
    public static final int MAX_TIMEOUT = 300;
    public static final int DEFAULT_RESPONSE_TIMEOUT = 30;
    /** IoT Hub's documented limit on method names (the SDKs check the same). */
    public static final int MAX_NAME_LENGTH = 128;
    private static final Logger LOG = Logger.getLogger(DirectMethods.class.getName());

    /** Where calls go: the device side of the hub (its MQTT endpoint). */
    public interface Devices {
        /**
         * Sends the call to the identity if it is connected and subscribed to {@code $iothub/methods/POST/#}; false,
         * sending nothing, when it is not.
         */
        boolean send(String key, String methodName, String requestId, byte[] payload);
    }

    /**
     * One call as the service made it.
     *
     * @param payload the payload as JSON, {@link JsonNull} when none
     */
    public record Call(String methodName, JsonElement payload, Duration responseTimeout, Duration connectTimeout) {
        public Call {
            Objects.requireNonNull(methodName, "methodName");
            payload = payload == null ? JsonNull.INSTANCE : payload;
        }
    }

    /** The device's answer: its status, passed through, and its payload (JSON; {@link JsonNull} when it sent none). */
    public record Result(int status, JsonElement payload) {
    }

    private record Pending(String key, CompletableFuture<Result> result, ScheduledFuture<?> timeout) {
    }

    private final IdentityRegistry registry;
    private final ScheduledExecutorService timers;
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, List<Runnable>> waiting = new ConcurrentHashMap<>();
    private volatile Devices devices = (key, name, rid, payload) -> false;

    public DirectMethods(IdentityRegistry registry) {
        this.registry = registry;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = Executors.defaultThreadFactory().newThread(runnable);
            thread.setName("local-hub-method-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timers = executor;
    }

    public void setDevices(Devices devices) {
        this.devices = devices;
    }

    /**
     * Calls a method on a device or (by module key) a module.
     *
     * @throws HubException 404 DeviceNotFound or ModuleNotFound when the identity is not registered
     */
    public CompletableFuture<Result> invoke(String key, Call call) {
        registry.require(key);
        byte[] payload = call.payload().toString().getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Result> result = new CompletableFuture<>();
        if (trySend(key, call, payload, result)) {
            return result;
        }
        if (call.connectTimeout().isZero()) {
            return CompletableFuture.failedFuture(notOnline(key));
        }
        // wait for the identity to connect (and subscribe) until the connect timeout; then it is not online
        Runnable retry = new Runnable() {
            @Override
            public void run() {
                if (!result.isDone() && trySend(key, call, payload, result)) {
                    List<Runnable> list = waiting.get(key);
                    if (list != null) {
                        list.remove(this);
                    }
                }
            }
        };
        waiting.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(retry);
        ScheduledFuture<?> giveUp = timers.schedule(() -> {
            List<Runnable> list = waiting.get(key);
            if (list != null) {
                list.remove(retry);
            }
            result.completeExceptionally(notOnline(key));
        }, call.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> giveUp.cancel(false));
        // it may have become available between the first try and the registration
        retry.run();
        return result;
    }

    /** Sends the call now if the identity can take it; the result then waits for the answer or the timeout. */
    private boolean trySend(String key, Call call, byte[] payload, CompletableFuture<Result> result) {
        String requestId = Long.toHexString(requestIds.incrementAndGet());
        synchronized (result) {
            if (result.isDone()) {
                return true;
            }
            ScheduledFuture<?> timeout = timers.schedule(() -> expire(requestId, key),
                    call.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
            pending.put(requestId, new Pending(key, result, timeout));
            if (devices.send(key, call.methodName(), requestId, payload)) {
                return true;
            }
            pending.remove(requestId);
            timeout.cancel(false);
            return false;
        }
    }

    private void expire(String requestId, String key) {
        Pending call = pending.remove(requestId);
        if (call != null) {
            call.result().completeExceptionally(new HubException(HubErrorCode.GATEWAY_TIMEOUT,
                    IdentityKey.describe(key) + " did not answer the method call within its response timeout"));
        }
    }

    /**
     * A device's answer on {@code $iothub/methods/res/{status}/?$rid={requestId}}. An answer to no outstanding call of
     * this identity (late, repeated, or another identity's request id), with a body that is not JSON or larger than
     * {@link #MAX_PAYLOAD_BYTES}, is dropped, and the call, if any, runs into its timeout.
     *
     * @return whether the answer completed a call
     */
    public boolean answer(String key, String requestId, int status, byte[] body) {
        Pending call = pending.get(requestId);
        if (call == null || !call.key().equals(key)) {
            LOG.fine(() -> "dropped a method answer of " + IdentityKey.describe(key) + " to no outstanding call");
            return false;
        }
        JsonElement payload;
        if (body.length > MAX_PAYLOAD_BYTES) {
            LOG.info(IdentityKey.describe(key) + " answered a method call with " + body.length
                    + " bytes, over IoT Hub's " + MAX_PAYLOAD_BYTES + "; the answer is dropped");
            return false;
        }
        try {
            payload = body.length == 0 ? JsonNull.INSTANCE : StrictJson.parse(body);
        } catch (HubException notJson) {
            LOG.info(IdentityKey.describe(key) + " answered a method call with a body that is not JSON ("
                    + notJson.getMessage() + "); the answer is dropped");
            return false;
        }
        if (!pending.remove(requestId, call)) {
            return false;
        }
        call.timeout().cancel(false);
        return call.result().complete(new Result(status, payload));
    }

    /**
     * The identity is now connected and subscribed to methods (a connect that kept its session, or a SUBSCRIBE):
     * calls waiting for it are sent.
     */
    public void available(String key) {
        List<Runnable> list = waiting.get(key);
        if (list != null) {
            list.forEach(Runnable::run);
            waiting.computeIfPresent(key, (k, l) -> l.isEmpty() ? null : l);
        }
    }

    private static HubException notOnline(String key) {
        return new HubException(HubErrorCode.DEVICE_NOT_ONLINE, IdentityKey.describe(key)
                + " is not online: it is not connected, or has not subscribed to $iothub/methods/POST/#");
    }

    @Override
    public void close() {
        timers.shutdownNow();
        HubException closing = new HubException(HubErrorCode.SERVICE_UNAVAILABLE, "the local hub is stopping");
        pending.values().forEach(p -> p.result().completeExceptionally(closing));
        pending.clear();
    }
}
