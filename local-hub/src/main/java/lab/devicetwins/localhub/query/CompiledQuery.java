package lab.devicetwins.localhub.query;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One page's SQL for a {@link TwinQuery}, ordered by a sort key (the device id, or the group key for aggregates) so
 * that a page can start strictly after the last key of the previous one.
 */
final class CompiledQuery {

    /** A result row with the key the next page starts after. */
    record Row(String sortKey, JsonObject item) {}

    private final String sql;
    private final SqlParameters parameters;
    private final TwinQuery query;

    private CompiledQuery(String sql, SqlParameters parameters, TwinQuery query) {
        this.sql = sql;
        this.parameters = parameters;
        this.query = query;
    }

    /** Compiles the rows after {@code afterKey} (all rows when empty), at most {@code limit} of them. */
    static CompiledQuery of(TwinQuery query, Optional<String> afterKey, int limit) {
        SqlParameters parameters = new SqlParameters();
        ConditionCompiler compiler = new ConditionCompiler(parameters);
        String where = query.condition().map(c -> compiler.truth(c).isTrue()).orElse("1");
        String sql = query.isAggregate()
                ? groupSql(query, compiler, parameters, where, afterKey, limit)
                : twinSql(query, parameters, where, afterKey, limit);
        return new CompiledQuery(sql, parameters, query);
    }

    private static String twinSql(TwinQuery query, SqlParameters parameters, String where, Optional<String> afterKey,
                                  int limit) {
        List<String> columns = new ArrayList<>();
        columns.add("device_id");
        if (query.selectsWholeTwins()) {
            columns.add("doc");
        } else {
            for (SelectItem item : query.selectItems()) {
                // ->  keeps the JSON type (and yields NULL for a missing path), unlike json_extract.
                columns.add("doc -> " + parameters.bind(((SelectItem.Path) item).path().jsonPath()));
            }
        }
        return "SELECT " + String.join(", ", columns) + " FROM twins WHERE " + where
                + afterKey.map(key -> " AND device_id > " + parameters.bind(key)).orElse("")
                + " ORDER BY device_id LIMIT " + parameters.bind(limit);
    }

    private static String groupSql(TwinQuery query, ConditionCompiler compiler, SqlParameters parameters, String where,
                                   Optional<String> afterKey, int limit) {
        // Sort key of a group: '0' for the group where the GROUP BY path is undefined, else '1' + its JSON text.
        String groupKey = query.groupBy()
                .map(path -> "coalesce('1' || (doc -> " + parameters.bind(path.jsonPath()) + "), '0')")
                .orElse("''");
        List<String> columns = new ArrayList<>();
        columns.add(groupKey + " AS group_key");
        for (SelectItem item : query.selectItems()) {
            if (item instanceof SelectItem.Aggregate aggregate) {
                columns.add(aggregateSql(aggregate, compiler));
            }
        }
        return "SELECT * FROM (SELECT " + String.join(", ", columns) + " FROM twins WHERE " + where
                + (query.groupBy().isPresent() ? " GROUP BY group_key" : "") + ")"
                + afterKey.map(key -> " WHERE group_key > " + parameters.bind(key)).orElse("")
                + " ORDER BY group_key LIMIT " + parameters.bind(limit);
    }

    /** Aggregates look only at numbers (MIN and MAX: numbers, else strings); other values are skipped. */
    private static String aggregateSql(SelectItem.Aggregate aggregate, ConditionCompiler compiler) {
        if (aggregate.function() == SelectItem.AggregateFunction.COUNT) {
            return "count(*)";
        }
        ConditionCompiler.Operand value = compiler.attribute(aggregate.argument().orElseThrow());
        String numbers = "CASE WHEN " + value.kind() + " = 'number' THEN " + value.value() + " END";
        String strings = "CASE WHEN " + value.kind() + " = 'string' THEN " + value.value() + " END";
        return switch (aggregate.function()) {
            case SUM -> "sum(" + numbers + ")";
            case AVG -> "avg(" + numbers + ")";
            case MIN -> "CASE WHEN count(" + numbers + ") > 0 THEN min(" + numbers + ") ELSE min(" + strings + ") END";
            case MAX -> "CASE WHEN count(" + strings + ") > 0 THEN max(" + strings + ") ELSE max(" + numbers + ") END";
            case COUNT -> throw new IllegalStateException("handled above");
        };
    }

    String sql() {
        return sql;
    }

    SqlParameters parameters() {
        return parameters;
    }

    Row read(ResultSet row) throws SQLException {
        String sortKey = row.getString(1);
        if (query.isAggregate()) {
            return new Row(sortKey, groupItem(sortKey, row));
        }
        if (query.selectsWholeTwins()) {
            return new Row(sortKey, JsonParser.parseString(row.getString(2)).getAsJsonObject());
        }
        JsonObject item = new JsonObject();
        int column = 2;
        for (SelectItem selected : query.selectItems()) {
            String json = row.getString(column++);
            if (json != null) {
                item.add(selected.key(), JsonParser.parseString(json));
            }
        }
        return new Row(sortKey, item);
    }

    private JsonObject groupItem(String groupKey, ResultSet row) throws SQLException {
        JsonObject item = new JsonObject();
        int column = 2;
        for (SelectItem selected : query.selectItems()) {
            if (selected instanceof SelectItem.Path) {
                if (groupKey.startsWith("1")) {
                    item.add(selected.key(), JsonParser.parseString(groupKey.substring(1)));
                }
                continue;
            }
            JsonElement value = sqlValue(row.getObject(column++));
            if (value != null) {
                item.add(selected.key(), value);
            }
        }
        return item;
    }

    /** Aggregate results are SQL numbers or strings; NULL means no value to aggregate, so the key is left out. */
    private static JsonElement sqlValue(Object value) {
        if (value instanceof Number number) {
            return new JsonPrimitive(number);
        }
        if (value instanceof String text) {
            return new JsonPrimitive(text);
        }
        return null;
    }
}
