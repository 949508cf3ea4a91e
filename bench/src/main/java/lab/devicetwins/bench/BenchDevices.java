package lab.devicetwins.bench;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import lab.devicetwins.localhub.WellKnownKeys;
import lab.devicetwins.localhub.auth.SharedAccessPolicy;
import lab.devicetwins.localhub.core.DeviceDirectory;
import lab.devicetwins.localhub.core.IdentityRegistry;
import lab.devicetwins.localhub.core.TwinOperations;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.store.SqliteHubStore;
import lab.devicetwins.localhub.twin.TwinLimits;

/**
 * Fills a hub data directory with devices through the hub's own registry and twin operations, in this process
 * (no network: tens of thousands of HTTPS calls would measure the set-up, not the hub). The devices get the hub's
 * well-known keys, so a load generator can sign SAS tokens for them. A directory filled once is reused.
 */
final class BenchDevices {
    /** Connected by the MQTT scenarios: bench-00000, bench-00001, … */
    static final String MQTT_PREFIX = "bench-";
    /** The device the official-SDK scenario uses. */
    static final String SDK_DEVICE = "bench-sdk";

    private BenchDevices() {
    }

    static String mqttDeviceId(int i) {
        return String.format(Locale.ROOT, "%s%05d", MQTT_PREFIX, i);
    }

    static String key(String deviceId) {
        return WellKnownKeys.deviceKey(deviceId, true);
    }

    /** {@code count} MQTT devices plus {@link #SDK_DEVICE}, with empty twins. */
    static void ensureMqttDevices(Path dataDir, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(mqttDeviceId(i));
        }
        ids.add(SDK_DEVICE);
        populate(dataDir, "mqtt-" + count, ids.size(), (registry, twins, i) -> create(registry, ids.get(i)));
    }

    /**
     * {@code count} devices {@code q-000000…} whose twins the query scenario searches: tags {@code plant}
     * (1 in 1,000 twins per plant) and {@code region} (1 in 5), reported {@code temperature} and {@code firmware}
     * ({@code '2.0.1'} on 1 twin in 2,000).
     */
    static void ensureQueryTwins(Path dataDir, int count) throws Exception {
        populate(dataDir, "twins-" + count, count, (registry, twins, i) -> {
            String id = String.format(Locale.ROOT, "q-%06d", i);
            return create(registry, id).thenCompose(x -> {
                JsonObject tags = new JsonObject();
                tags.addProperty("plant", String.format(Locale.ROOT, "plant-%04d", i % 1000));
                tags.addProperty("region", List.of("north", "south", "east", "west", "central").get(i % 5));
                return twins.patch(id, tags, new JsonObject(), null);
            }).thenCompose(x -> {
                JsonObject reported = new JsonObject();
                reported.addProperty("temperature", 15 + (i * 7919 % 200) / 10.0);
                reported.addProperty("firmware", i % 2000 == 0 ? "2.0.1" : "1.9." + (i % 7));
                return twins.patchReported(id, reported, null);
            });
        });
    }

    private static CompletableFuture<?> create(IdentityRegistry registry, String id) {
        return registry.create(DeviceRequest.withKeys(id, key(id), WellKnownKeys.deviceKey(id, false)));
    }

    private interface Creation {
        CompletableFuture<?> create(IdentityRegistry registry, TwinOperations twins, int i);
    }

    private static void populate(Path dataDir, String marker, int count, Creation creation) throws Exception {
        Path done = dataDir.resolve("bench-populated-" + marker);
        if (Files.exists(done)) {
            return;
        }
        deleteTree(dataDir);
        Files.createDirectories(dataDir);
        long started = System.nanoTime();
        try (SqliteHubStore store = SqliteHubStore.open(dataDir);
             DeviceDirectory directory = new DeviceDirectory(store, Clock.systemUTC(), TwinLimits.defaults())) {
            IdentityRegistry registry = new IdentityRegistry(directory, SharedAccessPolicy.defaults());
            TwinOperations twins = new TwinOperations(directory);
            // a window of outstanding writes keeps the writer's group commits large without queueing everything
            List<CompletableFuture<?>> window = new ArrayList<>();
            IntConsumer progress = i -> {
                if (i > 0 && i % 20_000 == 0) {
                    System.out.printf(Locale.ROOT, "#   %,d of %,d devices%n", i, count);
                }
            };
            for (int i = 0; i < count; i++) {
                window.add(creation.create(registry, twins, i));
                if (window.size() == 2_000) {
                    CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                    window.clear();
                }
                progress.accept(i);
            }
            CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
        }
        Files.writeString(done, "populated by the benchmarks\n");
        System.out.printf(Locale.ROOT, "# populated %s with %,d devices in %.1f s (in-process registry and twin API)%n",
                dataDir, count, (System.nanoTime() - started) / 1e9);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
