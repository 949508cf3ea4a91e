package lab.devicetwins.localhub.store;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import lab.devicetwins.localhub.jobs.DeviceJobResult;
import lab.devicetwins.localhub.jobs.Job;
import lab.devicetwins.localhub.json.StrictJson;
import lab.devicetwins.localhub.messaging.CloudToDeviceMessage;
import lab.devicetwins.localhub.registry.IdentityKey;
import lab.devicetwins.localhub.twin.TwinDocument;

/**
 * The hub's database: SQLite in WAL mode, one file. Writes come from a single {@link StoreWriter} thread in group
 * commits; reads (start-up load, reload after a failed commit) use a small pool of read connections, which WAL lets
 * run beside the writer.
 *
 * <p>Tables: {@code devices(device_id, doc)} holds registry records ({@link IdentityRecord}) of devices and modules,
 * keyed by {@link IdentityKey} (a module's rows sort right after its device's), {@code twins(device_id, doc)} the twins in {@link TwinDocument#toStoredJson()} form, {@code sessions(client_id, subscriptions)} the MQTT
 * subscriptions of persistent sessions as a JSON object of topic filter to QoS, {@code c2d_messages(device_id, seq,
 * doc)} the queued cloud-to-device messages ({@link CloudToDeviceRecord}), {@code jobs(job_id, doc)} the jobs and
 * {@code job_results(job_id, device_id, doc)} their devices' results ({@link JobRecord}). Tables are created when
 * missing, so a database of an older hub gains the message and job tables on its first open by this one.
 */
public final class SqliteHubStore implements HubStore {
    /** Rows parsed together at start. */
    private static final int LOAD_CHUNK = 8192;

    private static final int READERS = 3;
    private static final int SCHEMA_VERSION = 1;

    private final Path file;
    private final boolean isNew;
    private final Connection writeConnection;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> allReaders = new ArrayList<>();

    private SqliteHubStore(Path file) throws SQLException {
        this.file = file;
        this.isNew = !Files.exists(file);
        this.writeConnection = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = writeConnection.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            // NORMAL in WAL mode: a commit is in the OS once it returns, so killing the process loses nothing
            // acknowledged; only a power cut can lose the last transactions.
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("CREATE TABLE IF NOT EXISTS schema_info (version INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS devices (device_id TEXT NOT NULL PRIMARY KEY, doc TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS twins (device_id TEXT NOT NULL PRIMARY KEY, doc TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS sessions (client_id TEXT NOT NULL PRIMARY KEY,"
                    + " subscriptions TEXT NOT NULL)");
            // added without a schema change: a database of an earlier hub gains the empty table
            s.execute("CREATE TABLE IF NOT EXISTS c2d_messages (device_id TEXT NOT NULL, seq INTEGER NOT NULL,"
                    + " doc TEXT NOT NULL, PRIMARY KEY (device_id, seq))");
            s.execute("CREATE TABLE IF NOT EXISTS jobs (job_id TEXT NOT NULL PRIMARY KEY, doc TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS job_results (job_id TEXT NOT NULL, device_id TEXT NOT NULL,"
                    + " doc TEXT NOT NULL, PRIMARY KEY (job_id, device_id))");
            try (ResultSet rs = s.executeQuery("SELECT version FROM schema_info")) {
                if (!rs.next()) {
                    s.execute("INSERT INTO schema_info (version) VALUES (" + SCHEMA_VERSION + ")");
                } else if (rs.getInt(1) != SCHEMA_VERSION) {
                    throw new SQLException("database " + file + " has schema version " + rs.getInt(1)
                            + ", this hub reads version " + SCHEMA_VERSION
                            + "; delete the data directory to start afresh");
                }
            }
        }
        writeConnection.setAutoCommit(false);
        for (int i = 0; i < READERS; i++) {
            Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = reader.createStatement()) {
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA query_only=1");
            }
            allReaders.add(reader);
            readers.add(reader);
        }
    }

    /** Opens (creating if needed) {@code hub.db} in the data directory. */
    public static SqliteHubStore open(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
            return new SqliteHubStore(dataDirectory.resolve("hub.db"));
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot open the hub database in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    /**
     * Rows are read in chunks and each chunk's JSON is parsed on every core: at a million twins, parsing is most of
     * a hub's start.
     */
    @Override
    public List<StoredDevice> loadDevices() {
        return read(c -> {
            List<StoredDevice> devices = new ArrayList<>();
            List<byte[][]> chunk = new ArrayList<>(LOAD_CHUNK);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT d.doc, t.doc FROM devices d"
                         + " JOIN twins t ON t.device_id = d.device_id ORDER BY d.device_id")) {
                while (rs.next()) {
                    chunk.add(new byte[][] {rs.getBytes(1), rs.getBytes(2)});
                    if (chunk.size() == LOAD_CHUNK) {
                        devices.addAll(parse(chunk));
                        chunk.clear();
                    }
                }
            }
            devices.addAll(parse(chunk));
            return devices;
        });
    }

    private static List<StoredDevice> parse(List<byte[][]> rows) {
        return rows.parallelStream().map(row -> device(row[0], row[1])).toList();
    }

    @Override
    public Optional<StoredDevice> loadDevice(String key) {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT d.doc, t.doc FROM devices d"
                    + " JOIN twins t ON t.device_id = d.device_id WHERE d.device_id = ?")) {
                s.setString(1, key);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(device(rs.getBytes(1), rs.getBytes(2))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<StoredDevice> loadModules(String deviceId) {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT d.doc, t.doc FROM devices d"
                    + " JOIN twins t ON t.device_id = d.device_id WHERE d.device_id >= ? AND d.device_id < ?"
                    + " ORDER BY d.device_id")) {
                s.setString(1, IdentityKey.firstModuleOf(deviceId));
                s.setString(2, IdentityKey.pastModulesOf(deviceId));
                List<StoredDevice> modules = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        modules.add(device(rs.getBytes(1), rs.getBytes(2)));
                    }
                }
                return modules;
            }
        });
    }

    /** A stored row, read with the hub's own JSON reader (which shares member names across twins). */
    private static StoredDevice device(byte[] identityJson, byte[] twinJson) {
        return new StoredDevice(IdentityRecord.read(StrictJson.parse(identityJson).getAsJsonObject()),
                TwinDocument.fromParsedStoredJson(StrictJson.parse(twinJson).getAsJsonObject()));
    }

    @Override
    public Map<String, Map<String, Integer>> loadSessions() {
        return read(c -> {
            Map<String, Map<String, Integer>> sessions = new HashMap<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT client_id, subscriptions FROM sessions")) {
                while (rs.next()) {
                    sessions.put(rs.getString(1), subscriptions(rs.getString(2)));
                }
            }
            return sessions;
        });
    }

    @Override
    public Optional<Map<String, Integer>> loadSession(String clientId) {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT subscriptions FROM sessions WHERE client_id = ?")) {
                s.setString(1, clientId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(subscriptions(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<CloudToDeviceMessage> loadCloudToDeviceMessages() {
        return read(c -> {
            List<CloudToDeviceMessage> messages = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT doc FROM c2d_messages ORDER BY device_id, seq")) {
                while (rs.next()) {
                    messages.add(CloudToDeviceRecord.read(JsonParser.parseString(rs.getString(1)).getAsJsonObject()));
                }
            }
            return messages;
        });
    }

    private static Map<String, Integer> subscriptions(String json) {
        JsonObject stored = JsonParser.parseString(json).getAsJsonObject();
        Map<String, Integer> subscriptions = new HashMap<>();
        stored.keySet().forEach(filter -> subscriptions.put(filter, stored.get(filter).getAsInt()));
        return subscriptions;
    }

    private static String subscriptionsJson(Map<String, Integer> subscriptions) {
        JsonObject json = new JsonObject();
        subscriptions.forEach(json::addProperty);
        return json.toString();
    }

    @Override
    public List<Job> loadJobs() {
        return read(c -> {
            List<Job> jobs = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT doc FROM jobs ORDER BY job_id")) {
                while (rs.next()) {
                    jobs.add(JobRecord.readJob(JsonParser.parseString(rs.getString(1)).getAsJsonObject()));
                }
            }
            return jobs;
        });
    }

    @Override
    public List<DeviceJobResult> loadJobResults() {
        return read(c -> {
            List<DeviceJobResult> results = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT doc FROM job_results ORDER BY job_id, device_id")) {
                while (rs.next()) {
                    results.add(JobRecord.readResult(JsonParser.parseString(rs.getString(1)).getAsJsonObject()));
                }
            }
            return results;
        });
    }

    /** Work on a read connection; blocks while all are in use. */
    private <T> T read(SqlWork<T> work) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection", e);
        }
        try {
            return work.apply(c);
        } catch (SQLException e) {
            throw new StoreException("database read failed: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    /** Applies ops in one transaction. Called only by the writer thread. */
    @Override
    public void apply(List<StoreOp> ops) {
        if (ops.stream().anyMatch(Objects::isNull)) {
            throw new StoreException("a batch holds no null ops", null);
        }
        try {
            applyInTransaction(ops);
        } catch (SQLException e) {
            throw new StoreException("could not save to the hub database: " + e.getMessage(), e);
        }
    }

    private void applyInTransaction(List<StoreOp> ops) throws SQLException {
        try (PreparedStatement saveDevice = writeConnection.prepareStatement(
                "INSERT OR REPLACE INTO devices (device_id, doc) VALUES (?, ?)");
             PreparedStatement saveTwin = writeConnection.prepareStatement(
                     "INSERT OR REPLACE INTO twins (device_id, doc) VALUES (?, ?)");
             PreparedStatement updateTwin = writeConnection.prepareStatement(
                     "UPDATE twins SET doc = ? WHERE device_id = ?");
             PreparedStatement deleteDevice = writeConnection.prepareStatement("DELETE FROM devices WHERE device_id = ?");
             PreparedStatement deleteTwin = writeConnection.prepareStatement("DELETE FROM twins WHERE device_id = ?");
             PreparedStatement saveSession = writeConnection.prepareStatement(
                     "INSERT OR REPLACE INTO sessions (client_id, subscriptions) VALUES (?, ?)");
             PreparedStatement deleteSession = writeConnection.prepareStatement(
                     "DELETE FROM sessions WHERE client_id = ?");
             PreparedStatement deleteModules = writeConnection.prepareStatement(
                     "DELETE FROM devices WHERE device_id >= ? AND device_id < ?");
             PreparedStatement deleteModuleTwins = writeConnection.prepareStatement(
                     "DELETE FROM twins WHERE device_id >= ? AND device_id < ?");
             PreparedStatement deleteModuleSessions = writeConnection.prepareStatement(
                     "DELETE FROM sessions WHERE client_id >= ? AND client_id < ?");
             PreparedStatement saveMessage = writeConnection.prepareStatement(
                     "INSERT OR REPLACE INTO c2d_messages (device_id, seq, doc) VALUES (?, ?, ?)");
             PreparedStatement deleteMessage = writeConnection.prepareStatement(
                     "DELETE FROM c2d_messages WHERE device_id = ? AND seq = ?");
             PreparedStatement deleteMessages = writeConnection.prepareStatement(
                     "DELETE FROM c2d_messages WHERE device_id = ?");
             PreparedStatement saveJob = writeConnection.prepareStatement(
                     "INSERT OR REPLACE INTO jobs (job_id, doc) VALUES (?, ?)");
             PreparedStatement saveJobResult = writeConnection.prepareStatement(
                     "INSERT OR REPLACE INTO job_results (job_id, device_id, doc) VALUES (?, ?, ?)")) {
            for (StoreOp op : ops) {
                if (op instanceof StoreOp.SaveDevice d) {
                    saveDevice.setString(1, d.key());
                    saveDevice.setString(2, IdentityRecord.write(d.identity()).toString());
                    saveDevice.executeUpdate();
                    saveTwin.setString(1, d.key());
                    saveTwin.setString(2, d.twin().toStoredJsonText());
                    saveTwin.executeUpdate();
                } else if (op instanceof StoreOp.SaveTwin t) {
                    updateTwin.setString(1, t.twin().toStoredJsonText());
                    updateTwin.setString(2, t.key());
                    updateTwin.executeUpdate();
                } else if (op instanceof StoreOp.DeleteDevice d) {
                    deleteDevice.setString(1, d.key());
                    deleteDevice.executeUpdate();
                    deleteTwin.setString(1, d.key());
                    deleteTwin.executeUpdate();
                    deleteSession.setString(1, d.key());
                    deleteSession.executeUpdate();
                    deleteMessages.setString(1, d.key());
                    deleteMessages.executeUpdate();
                    if (!IdentityKey.isModule(d.key())) {
                        for (PreparedStatement modules : List.of(deleteModules, deleteModuleTwins, deleteModuleSessions)) {
                            modules.setString(1, IdentityKey.firstModuleOf(d.key()));
                            modules.setString(2, IdentityKey.pastModulesOf(d.key()));
                            modules.executeUpdate();
                        }
                    }
                } else if (op instanceof StoreOp.SaveSession s) {
                    saveSession.setString(1, s.clientId());
                    saveSession.setString(2, subscriptionsJson(s.subscriptions()));
                    saveSession.executeUpdate();
                } else if (op instanceof StoreOp.DeleteSession s) {
                    deleteSession.setString(1, s.clientId());
                    deleteSession.executeUpdate();
                } else if (op instanceof StoreOp.SaveCloudToDeviceMessage m) {
                    saveMessage.setString(1, m.message().deviceId());
                    saveMessage.setLong(2, m.message().sequenceNumber());
                    saveMessage.setString(3, CloudToDeviceRecord.write(m.message()).toString());
                    saveMessage.executeUpdate();
                } else if (op instanceof StoreOp.DeleteCloudToDeviceMessage m) {
                    deleteMessage.setString(1, m.deviceId());
                    deleteMessage.setLong(2, m.sequenceNumber());
                    deleteMessage.executeUpdate();
                } else if (op instanceof StoreOp.SaveJob j) {
                    saveJob.setString(1, j.job().jobId());
                    saveJob.setString(2, JobRecord.write(j.job()).toString());
                    saveJob.executeUpdate();
                } else if (op instanceof StoreOp.SaveJobResult r) {
                    saveJobResult.setString(1, r.result().jobId());
                    saveJobResult.setString(2, r.result().deviceId());
                    saveJobResult.setString(3, JobRecord.write(r.result()).toString());
                    saveJobResult.executeUpdate();
                }
            }
            writeConnection.commit();
        } catch (SQLException | RuntimeException e) {
            writeConnection.rollback();
            throw e;
        }
    }

    @Override
    public void close() {
        for (Connection c : allReaders) {
            closeQuietly(c);
        }
        closeQuietly(writeConnection);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing at shutdown: nothing left to do with an error
        }
    }

    /** Work against a JDBC connection. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }
}
