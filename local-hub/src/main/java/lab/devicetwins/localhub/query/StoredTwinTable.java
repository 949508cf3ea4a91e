package lab.devicetwins.localhub.query;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;

/**
 * TEMPORARY: the SQLite store's {@code twins(device_id, doc)} table as a {@link TwinSource}, read in batches in
 * device id order. It exists only so that the HTTPS endpoint, which still passes a JDBC connection to
 * {@link TwinQueryEngine}, keeps compiling and answering until it passes the hub's in-memory twins instead; then
 * delete this class and {@link TwinQueryEngine#execute(Connection, String, Integer, String)}. Nothing else in the
 * query package touches JDBC.
 */
final class StoredTwinTable implements TwinSource {

    private static final int BATCH = 200;
    private static final String SELECT_AFTER =
            "SELECT device_id, doc FROM twins WHERE device_id > ? ORDER BY device_id LIMIT " + BATCH;

    private final Connection connection;

    StoredTwinTable(Connection connection) {
        this.connection = connection;
    }

    @Override
    public Iterable<QueryRow> after(String lastDeviceId) {
        // Device ids are never empty, so "" starts before the first one.
        return () -> new Batches(lastDeviceId == null ? "" : lastDeviceId);
    }

    private final class Batches implements Iterator<QueryRow> {
        private final Deque<QueryRow> batch = new ArrayDeque<>();
        private String lastRead;
        private boolean exhausted;

        Batches(String lastDeviceId) {
            this.lastRead = lastDeviceId;
        }

        @Override
        public boolean hasNext() {
            if (batch.isEmpty() && !exhausted) {
                read();
            }
            return !batch.isEmpty();
        }

        @Override
        public QueryRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return batch.removeFirst();
        }

        private void read() {
            try (PreparedStatement statement = connection.prepareStatement(SELECT_AFTER)) {
                statement.setString(1, lastRead);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        lastRead = rows.getString(1);
                        batch.add(QueryRow.of(JsonParser.parseString(rows.getString(2)).getAsJsonObject()));
                    }
                }
            } catch (SQLException | JsonParseException | IllegalStateException e) {
                HubException failure = new HubException(HubErrorCode.SERVER_ERROR,
                        "The query could not be run: the stored twins could not be read");
                failure.initCause(e);
                throw failure;
            }
            exhausted = batch.size() < BATCH;
        }
    }
}
