package lab.devicetwins.localhub.query;

import com.google.gson.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** An in-memory SQLite database with the hub's {@code twins} table, for tests. */
final class TwinTable implements AutoCloseable {

    private final Connection connection;

    TwinTable() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS twins (device_id TEXT NOT NULL PRIMARY KEY, doc TEXT NOT NULL)");
        }
    }

    Connection connection() {
        return connection;
    }

    TwinTable put(JsonObject twin) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO twins (device_id, doc) VALUES (?, ?) ON CONFLICT(device_id) DO UPDATE SET doc = excluded.doc")) {
            statement.setString(1, twin.get("deviceId").getAsString());
            statement.setString(2, twin.toString());
            statement.executeUpdate();
        }
        return this;
    }

    void delete(String deviceId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM twins WHERE device_id = ?")) {
            statement.setString(1, deviceId);
            statement.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
