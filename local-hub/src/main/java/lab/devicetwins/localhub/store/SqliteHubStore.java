package lab.devicetwins.localhub.store;

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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The hub's database: SQLite in WAL mode, one file. Writes come from a single {@link StoreWriter} thread in group
 * commits; reads (start-up load, queries) use a small pool of read connections, which WAL lets run beside the writer.
 *
 * <p>Tables: {@code devices(device_id, doc)} holds registry records, {@code twins(device_id, doc)} the twins exactly as
 * {@code GET /twins/{id}} returns them (the query language runs over this JSON), {@code sessions(client_id,
 * subscriptions)} the MQTT subscriptions of persistent sessions.
 */
public final class SqliteHubStore implements AutoCloseable {
    private static final int READERS = 3;
    private static final int SCHEMA_VERSION = 1;

    private final Path file;
    private final boolean deleteOnClose;
    private final boolean isNew;
    private final Connection writeConnection;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> allReaders = new ArrayList<>();

    private SqliteHubStore(Path file, boolean deleteOnClose) throws SQLException {
        this.file = file;
        this.deleteOnClose = deleteOnClose;
        this.isNew = !Files.exists(file);
        this.writeConnection = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = writeConnection.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            // NORMAL in WAL mode: a commit is in the OS once it returns, so killing the process loses nothing
            // acknowledged; only a power cut can lose the last transactions.
            s.execute(deleteOnClose ? "PRAGMA synchronous=OFF" : "PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("CREATE TABLE IF NOT EXISTS schema_info (version INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS devices (device_id TEXT NOT NULL PRIMARY KEY, doc TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS twins (device_id TEXT NOT NULL PRIMARY KEY, doc TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS sessions (client_id TEXT NOT NULL PRIMARY KEY,"
                    + " subscriptions TEXT NOT NULL)");
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
            return new SqliteHubStore(dataDirectory.resolve("hub.db"), false);
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot open the hub database in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    /** A throw-away database in a temporary file, deleted on {@link #close()}: the hub's in-memory mode. */
    public static SqliteHubStore temporary() {
        try {
            Path dir = Files.createTempDirectory("localhub-");
            return new SqliteHubStore(dir.resolve("hub.db"), true);
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot create a temporary hub database: " + e.getMessage(), e);
        }
    }

    /** True when this open created the database: the hub seeds its defaults then, and only then. */
    public boolean isNew() {
        return isNew;
    }

    public Path file() {
        return file;
    }

    public List<StoredDevice> loadDevices() {
        return read(c -> {
            List<StoredDevice> devices = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT d.device_id, d.doc, t.doc FROM devices d"
                         + " JOIN twins t ON t.device_id = d.device_id ORDER BY d.device_id")) {
                while (rs.next()) {
                    devices.add(new StoredDevice(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return devices;
        });
    }

    public Map<String, String> loadSessions() {
        return read(c -> {
            Map<String, String> sessions = new HashMap<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT client_id, subscriptions FROM sessions")) {
                while (rs.next()) {
                    sessions.put(rs.getString(1), rs.getString(2));
                }
            }
            return sessions;
        });
    }

    /** Work on a read connection; blocks while all are in use. */
    public <T> T read(SqlWork<T> work) {
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
    void apply(List<StoreOp> ops) throws SQLException {
        try (PreparedStatement saveDevice = writeConnection.prepareStatement(
                "INSERT OR REPLACE INTO devices (device_id, doc) VALUES (?, ?)");
             PreparedStatement saveTwin = writeConnection.prepareStatement(
                     "INSERT OR REPLACE INTO twins (device_id, doc) VALUES (?, ?)");
             PreparedStatement deleteDevice = writeConnection.prepareStatement("DELETE FROM devices WHERE device_id = ?");
             PreparedStatement deleteTwin = writeConnection.prepareStatement("DELETE FROM twins WHERE device_id = ?");
             PreparedStatement saveSession = writeConnection.prepareStatement(
                     "INSERT OR REPLACE INTO sessions (client_id, subscriptions) VALUES (?, ?)");
             PreparedStatement deleteSession = writeConnection.prepareStatement(
                     "DELETE FROM sessions WHERE client_id = ?")) {
            for (StoreOp op : ops) {
                if (op instanceof StoreOp.SaveDevice d) {
                    saveDevice.setString(1, d.deviceId());
                    saveDevice.setString(2, d.identityJson());
                    saveDevice.executeUpdate();
                    saveTwin.setString(1, d.deviceId());
                    saveTwin.setString(2, d.twinJson());
                    saveTwin.executeUpdate();
                } else if (op instanceof StoreOp.DeleteDevice d) {
                    deleteDevice.setString(1, d.deviceId());
                    deleteDevice.executeUpdate();
                    deleteTwin.setString(1, d.deviceId());
                    deleteTwin.executeUpdate();
                    deleteSession.setString(1, d.deviceId());
                    deleteSession.executeUpdate();
                } else if (op instanceof StoreOp.SaveSession s) {
                    saveSession.setString(1, s.clientId());
                    saveSession.setString(2, s.subscriptionsJson());
                    saveSession.executeUpdate();
                } else if (op instanceof StoreOp.DeleteSession s) {
                    deleteSession.setString(1, s.clientId());
                    deleteSession.executeUpdate();
                }
            }
            writeConnection.commit();
        } catch (SQLException e) {
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
        if (deleteOnClose) {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                try {
                    Files.deleteIfExists(Path.of(file + suffix));
                } catch (IOException ignored) {
                    // a temporary file; the OS cleans its temp directory
                }
            }
            try {
                Files.deleteIfExists(file.getParent());
            } catch (IOException ignored) {
                // not empty or already gone: nothing to do
            }
        }
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
    public interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }
}
