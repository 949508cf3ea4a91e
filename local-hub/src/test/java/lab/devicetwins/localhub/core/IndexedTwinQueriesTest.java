package lab.devicetwins.localhub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import lab.devicetwins.localhub.auth.SharedAccessPolicy;
import lab.devicetwins.localhub.http.TwinView;
import lab.devicetwins.localhub.query.QueryPage;
import lab.devicetwins.localhub.query.QueryRow;
import lab.devicetwins.localhub.query.TwinQueryEngine;
import lab.devicetwins.localhub.query.TwinSource;
import lab.devicetwins.localhub.registry.DeviceIdentity;
import lab.devicetwins.localhub.registry.DeviceRequest;
import lab.devicetwins.localhub.store.InMemoryHubStore;
import lab.devicetwins.localhub.twin.TwinLimits;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Queries answered from the directory's equality indexes give exactly what a scan of every twin gives, page by
 * page, whatever was written, replaced or deleted before, after and while an index was built. The reference is the
 * same engine over the twins rendered into a fixed source that has no index. A failure prints its seed ("Seed was
 * N"); {@code -Dquery.seed=N} replays it.
 */
class IndexedTwinQueriesTest {
    private static final long RUN_SEED = Long.getLong("query.seed", new Random().nextLong());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

    /** Values written: equal numbers written differently, strings that differ in case only, and the other kinds. */
    private static final List<String> VALUES = List.of("1", "1.0", "-0", "0", "2", "4503599627370495",
            "4503599627370494", "\"a\"", "\"A\"", "\"1\"", "true", "false", "null", "{\"x\":1}", "[1]");
    /** Constants queried for. */
    private static final List<String> CONSTANTS = List.of("1", "1.0", "0", "-0.0", "2", "4503599627370495", "'a'",
            "'A'", "'1'", "true", "false", "null");
    private static final List<String> PATHS = List.of("tags.t", "tags.loc.p", "properties.reported.a");
    private static final int DEVICES = 8;

    /** One step of a scenario: what to do, to which device, with which path, value or constant. */
    record Step(int kind, int device, int path, int value) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0 -> "create d" + device;
                case 1 -> "patch d" + device + " " + PATHS.get(path) + "=" + VALUES.get(value);
                case 2 -> "replace tags of d" + device + " with t=" + VALUES.get(value);
                case 3 -> "delete d" + device;
                default -> "query " + query(this);
            };
        }
    }

    private static Gen<Step> step() {
        return integers().between(0, 5).zip(integers().between(0, DEVICES - 1), integers().between(0, PATHS.size() - 1),
                integers().between(0, VALUES.size() - 1), Step::new);
    }

    @Test
    void indexed_queries_give_what_a_scan_gives_after_any_writes() {
        qt().withFixedSeed(RUN_SEED).withExamples(300).withTestingTime(8, TimeUnit.SECONDS)
                .forAll(lists().of(step()).ofSizeBetween(1, 40))
                .checkAssert(IndexedTwinQueriesTest::run);
    }

    private static void run(List<Step> steps) {
        Core core = new Core();
        try {
            for (Step step : steps) {
                core.apply(step);
            }
            // every path once more at the end, so each scenario ends with queries over what it left
            for (int path = 0; path < PATHS.size(); path++) {
                for (int constant = 0; constant < CONSTANTS.size(); constant += 3) {
                    core.apply(new Step(5, constant, path, constant));
                }
            }
        } finally {
            core.directory.close();
        }
    }

    private static String query(Step step) {
        String path = PATHS.get(step.path());
        String constant = CONSTANTS.get(step.value() % CONSTANTS.size());
        return switch (step.device() % 3) {
            case 0 -> "SELECT * FROM devices WHERE " + path + " = " + constant;
            case 1 -> "SELECT deviceId FROM devices WHERE " + constant + " = " + path + " AND deviceId != 'd3'";
            default -> "SELECT " + path + ", COUNT() AS n FROM devices WHERE " + path + " = " + constant
                    + " GROUP BY " + path;
        };
    }

    @Test
    void an_index_built_while_devices_change_ends_as_a_scan_sees_them() throws Exception {
        Core core = new Core();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < 2000; i++) {
                core.registry.create(request("w" + i)).get();
            }
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                running.add(writers.submit(() -> {
                    Random random = new Random(RUN_SEED + writer);
                    for (int n = 0; n < 3000; n++) {
                        String id = "w" + random.nextInt(2000);
                        JsonObject tags = new JsonObject();
                        tags.addProperty("t", random.nextInt(4));
                        core.twins.patch(id, tags, null, null).join();
                    }
                }));
            }
            // the first of these builds the index while the writers run; the others read it as they change it
            for (int q = 0; q < 20; q++) {
                core.indexed("SELECT * FROM devices WHERE tags.t = 1");
            }
            for (Future<?> writer : running) {
                writer.get(60, TimeUnit.SECONDS);
            }
            for (int value = 0; value < 4; value++) {
                String query = "SELECT deviceId FROM devices WHERE tags.t = " + value;
                assertThat(core.indexed(query)).as(query).isEqualTo(core.scanned(query));
            }
        } finally {
            writers.shutdownNow();
            core.directory.close();
        }
    }

    @Test
    void each_writer_finds_its_acknowledged_write_in_its_next_indexed_query_while_others_write() throws Exception {
        Core core = new Core();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String id = "writer" + w;
                core.registry.create(request(id)).get();
                running.add(writers.submit(() -> {
                    for (int n = 0; n < 400; n++) {
                        String plant = "plant-" + (n % 3);
                        JsonObject tags = (JsonObject) JsonParser.parseString(
                                "{\"location\":{\"plant\":\"" + plant + "\",\"region\":\"US\"}}");
                        if (n % 50 == 49) {
                            core.registry.delete(id, null).join();
                            core.registry.create(request(id)).join();
                        }
                        core.twins.patch(id, tags, null, null).join();
                        List<JsonObject> found = core.indexed(
                                "SELECT deviceId FROM devices WHERE tags.location.plant = '" + plant + "'");
                        assertThat(found).as("%s after writing %s", id, plant)
                                .anyMatch(row -> row.get("deviceId").getAsString().equals(id));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : running) {
                writer.get(120, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
            core.directory.close();
        }
    }

    @Test
    void more_paths_than_the_hub_indexes_are_still_answered_in_full() {
        Core core = new Core();
        try {
            core.registry.create(request("d0")).join();
            JsonObject tags = new JsonObject();
            for (int i = 0; i < TwinIndexes.MAX_INDEXES + 4; i++) {
                tags.addProperty("p" + i, i);
            }
            core.twins.patch("d0", tags, null, null).join();
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < TwinIndexes.MAX_INDEXES + 4; i++) {
                    String query = "SELECT deviceId FROM devices WHERE tags.p" + i + " = " + i;
                    assertThat(core.indexed(query)).as(query).hasSize(1).isEqualTo(core.scanned(query));
                }
            }
            assertThat(core.directory.indexedPaths()).isEqualTo(TwinIndexes.MAX_INDEXES);
        } finally {
            core.directory.close();
        }
    }

    private static DeviceRequest request(String id) {
        return DeviceRequest.withKeys(id, null, null);
    }

    /** A hub's core over an in-memory store, queried both ways. */
    private static final class Core {
        final DeviceDirectory directory = new DeviceDirectory(new InMemoryHubStore(), CLOCK, TwinLimits.defaults());
        final IdentityRegistry registry = new IdentityRegistry(directory, SharedAccessPolicy.defaults());
        final TwinOperations twins = new TwinOperations(directory);
        final DirectoryTwinQueries queries = new DirectoryTwinQueries(directory, TwinView::of);

        void apply(Step step) {
            String id = "d" + step.device();
            boolean exists = registry.get(id).isPresent();
            switch (step.kind()) {
                case 0 -> {
                    if (!exists) {
                        registry.create(request(id)).join();
                    }
                }
                case 1, 2 -> {
                    if (exists) {
                        write(id, step);
                    }
                }
                case 3 -> {
                    if (exists) {
                        registry.delete(id, null).join();
                    }
                }
                default -> {
                    String query = query(step);
                    assertThat(indexed(query)).as(query).isEqualTo(scanned(query));
                }
            }
        }

        private void write(String id, Step step) {
            var value = JsonParser.parseString(VALUES.get(step.value()));
            if (step.kind() == 2) {
                JsonObject tags = new JsonObject();
                tags.add("t", value);
                twins.replace(id, tags, null, null).join();
                return;
            }
            JsonObject patch = new JsonObject();
            switch (PATHS.get(step.path())) {
                case "tags.t" -> {
                    patch.add("t", value);
                    twins.patch(id, patch, null, null).join();
                }
                case "tags.loc.p" -> {
                    JsonObject loc = new JsonObject();
                    loc.add("p", value);
                    patch.add("loc", loc);
                    twins.patch(id, patch, null, null).join();
                }
                default -> {
                    patch.add("a", value);
                    twins.patchReported(id, patch, null).join();
                }
            }
        }

        /** Every page of the query through the directory's queries (indexed). */
        List<JsonObject> indexed(String query) {
            return allPages(query, queries::page);
        }

        /** Every page of the query over the twins as they are now, rendered into a source without an index. */
        List<JsonObject> scanned(String query) {
            List<QueryRow> rows = new ArrayList<>();
            for (DeviceIdentity identity : registry.list()) {
                ServiceTwin twin = twins.serviceView(identity.deviceId());
                rows.add(QueryRow.of(TwinView.of(twin.identity(), twin.twin())));
            }
            TwinSource source = TwinSource.of(rows);
            TwinQueryEngine engine = new TwinQueryEngine();
            return allPages(query, (text, size, token) -> engine.execute(source, text, size, token));
        }

        interface Pages {
            QueryPage page(String query, Integer size, String token);
        }

        private static List<JsonObject> allPages(String query, Pages pages) {
            List<JsonObject> items = new ArrayList<>();
            String token = null;
            do {
                QueryPage page = pages.page(query, 2, token);
                items.addAll(page.items());
                token = page.continuationToken().orElse(null);
            } while (token != null);
            return items;
        }
    }
}
