package lab.devicetwins.localhub.query;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import lab.devicetwins.localhub.query.Operand.Numeric;
import lab.devicetwins.localhub.query.Operand.Real;
import lab.devicetwins.localhub.query.Operand.Text;
import lab.devicetwins.localhub.query.Operand.Whole;

/**
 * The groups of an aggregate query ({@code COUNT()}, {@code SUM(path)}, … with or without {@code GROUP BY}), fed the
 * matching rows one at a time.
 *
 * <p>Groups are keyed, ordered and paged by a text key: {@code ""} for the one group of a query without
 * {@code GROUP BY}, {@code "0"} for the twins lacking the GROUP BY path, else {@code "1"} followed by the JSON text
 * of the group's value, in code point order. Values with different JSON text ({@code 5} and {@code 5.0}) are
 * different groups.
 *
 * <p>Aggregates look at numbers only; {@code MIN} and {@code MAX} use strings when a group has no numbers
 * ({@code MAX} prefers strings, {@code MIN} numbers, as if numbers sorted before strings). An aggregate with nothing
 * to aggregate is left out of its group's row.
 */
final class Aggregation {

    private final List<SelectItem> items;
    private final Optional<AttributePath> groupBy;
    private final NavigableMap<String, Group> groups = new TreeMap<>(QueryValues.CODE_POINT_ORDER);

    Aggregation(TwinQuery query) {
        this.items = query.selectItems();
        this.groupBy = query.groupBy();
        if (groupBy.isEmpty()) {
            // Without GROUP BY there is exactly one row, also when no twin matches: COUNT() is then 0.
            groups.put("", new Group("", null));
        }
    }

    void add(QueryRow row) {
        String key = "";
        JsonElement value = null;
        if (groupBy.isPresent()) {
            value = row.attribute(groupBy.get());
            key = value == null ? "0" : "1" + value;
        }
        Group group = groups.get(key);
        if (group == null) {
            group = new Group(key, value == null ? null : value.deepCopy());
            groups.put(key, group);
        }
        group.add(row);
    }

    /** The groups whose key sorts after {@code lastKey} (all when null), in key order. */
    Collection<Group> after(String lastKey) {
        return lastKey == null ? groups.values() : groups.tailMap(lastKey, false).values();
    }

    /** One group: the GROUP BY value its twins share (null for none) and an accumulator per aggregate. */
    final class Group {

        private final String key;
        private final JsonElement value;
        private final List<Accumulator> accumulators = new ArrayList<>();

        private Group(String key, JsonElement value) {
            this.key = key;
            this.value = value;
            for (SelectItem item : items) {
                if (item instanceof SelectItem.Aggregate aggregate) {
                    accumulators.add(Accumulator.of(aggregate));
                }
            }
        }

        String key() {
            return key;
        }

        private void add(QueryRow row) {
            for (Accumulator accumulator : accumulators) {
                accumulator.add(row);
            }
        }

        /**
         * The group's result object, keys in SELECT order.
         *
         * @throws HubException {@link HubErrorCode#ARGUMENT_INVALID} when a SUM or AVG is beyond the range of a
         *                      double, which JSON numbers cannot carry to the SDKs
         */
        JsonObject item() {
            JsonObject item = new JsonObject();
            int next = 0;
            for (SelectItem selected : items) {
                if (selected instanceof SelectItem.Path) {
                    if (value != null) {
                        item.add(selected.key(), value.deepCopy());
                    }
                    continue;
                }
                JsonElement result = accumulators.get(next++).result();
                if (result != null) {
                    item.add(selected.key(), result);
                }
            }
            return item;
        }
    }

    /** The running state of one aggregate of one group. */
    private abstract static class Accumulator {

        static Accumulator of(SelectItem.Aggregate aggregate) {
            return switch (aggregate.function()) {
                case COUNT -> new Count();
                case SUM, AVG -> new Total(aggregate);
                case MIN, MAX -> new Extreme(aggregate);
            };
        }

        abstract void add(QueryRow row);

        /** The aggregate's value, or null when there was nothing to aggregate. */
        abstract JsonElement result();
    }

    private static final class Count extends Accumulator {
        private long count;

        @Override
        void add(QueryRow row) {
            count++;
        }

        @Override
        JsonElement result() {
            return new JsonPrimitive(count);
        }
    }

    private static final class Total extends Accumulator {
        private final SelectItem.Aggregate aggregate;
        private final AttributePath path;
        private final CompensatedSum sum = new CompensatedSum();

        Total(SelectItem.Aggregate aggregate) {
            this.aggregate = aggregate;
            this.path = aggregate.argument().orElseThrow();
        }

        @Override
        void add(QueryRow row) {
            if (QueryValues.of(row.attribute(path)) instanceof Numeric number) {
                sum.add(number);
            }
        }

        @Override
        JsonElement result() {
            Number result = aggregate.function() == SelectItem.AggregateFunction.SUM ? sum.total() : sum.average();
            if (result == null) {
                return null;
            }
            if (result instanceof Double real && !Double.isFinite(real)) {
                throw new HubException(HubErrorCode.ARGUMENT_INVALID, aggregate.function() + "(" + path
                        + ") is out of range: the result is beyond the range of a double (about ±1.8e308), which "
                        + "a JSON number cannot carry; narrow the WHERE condition");
            }
            return new JsonPrimitive(result);
        }
    }

    /** MIN or MAX. Of equal numbers (5 and 5.0) the first one met wins. */
    private static final class Extreme extends Accumulator {
        private final boolean max;
        private final AttributePath path;
        private Numeric number;
        private JsonElement infiniteNumber;
        private String text;

        Extreme(SelectItem.Aggregate aggregate) {
            this.max = aggregate.function() == SelectItem.AggregateFunction.MAX;
            this.path = aggregate.argument().orElseThrow();
        }

        @Override
        void add(QueryRow row) {
            JsonElement json = row.attribute(path);
            Operand value = QueryValues.of(json);
            if (value instanceof Numeric candidate
                    && (number == null || better(QueryValues.compareNumbers(candidate, number)))) {
                number = candidate;
                boolean infinite = candidate instanceof Real real && Double.isInfinite(real.value());
                infiniteNumber = infinite ? json.deepCopy() : null;
            } else if (value instanceof Text candidate
                    && (text == null || better(QueryValues.compareCodePoints(candidate.value(), text)))) {
                text = candidate.value();
            }
        }

        private boolean better(int order) {
            return max ? order > 0 : order < 0;
        }

        @Override
        JsonElement result() {
            boolean useNumber = max ? text == null : number != null;
            if (useNumber) {
                if (number == null) {
                    return null;
                }
                if (number instanceof Whole whole) {
                    return new JsonPrimitive(whole.value());
                }
                // A twin may hold 1e400; a double cannot, so the twin's own JSON text goes out instead of Infinity.
                return infiniteNumber != null ? infiniteNumber : new JsonPrimitive(number.asDouble());
            }
            return text == null ? null : new JsonPrimitive(text);
        }
    }
}
