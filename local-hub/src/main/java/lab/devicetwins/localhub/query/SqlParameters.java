package lab.devicetwins.localhub.query;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The values a compiled query binds. Parameters are numbered ({@code ?3}) so a fragment can be repeated in the SQL
 * without binding its value twice; every value that came from the query text goes through here.
 */
final class SqlParameters {

    private final List<Object> values = new ArrayList<>();

    /** Registers a value and returns the placeholder that refers to it. */
    String bind(Object value) {
        values.add(value);
        return "?" + values.size();
    }

    void applyTo(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            statement.setObject(i + 1, values.get(i));
        }
    }
}
