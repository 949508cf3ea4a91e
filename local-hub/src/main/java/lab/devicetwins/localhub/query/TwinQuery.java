package lab.devicetwins.localhub.query;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;

/**
 * A parsed and checked twin query: {@code SELECT [TOP n] <projection> FROM devices|devices.modules
 * [WHERE <condition>] [GROUP BY <path>]}, or {@code SELECT [TOP n] * FROM devices.jobs [WHERE <condition>]}. Parsing does all checking, so a query that parses can be executed.
 */
public final class TwinQuery {

    /**
     * What a query reads: device twins ({@code FROM devices}), module twins ({@code FROM devices.modules}) or the
     * devices' parts in jobs ({@code FROM devices.jobs}).
     */
    public enum Collection {
        DEVICES,
        MODULES,
        JOBS
    }

    /** IoT Hub's documented limit on the length of a query. */
    public static final int MAX_LENGTH = 8192;

    private final String text;
    private final Collection collection;
    private final OptionalInt top;
    private final List<SelectItem> selectItems;
    private final Optional<Expression> condition;
    private final Optional<AttributePath> groupBy;

    private TwinQuery(String text, Collection collection, OptionalInt top, List<SelectItem> selectItems,
                      Optional<Expression> condition, Optional<AttributePath> groupBy) {
        this.text = text;
        this.collection = collection;
        this.top = top;
        this.selectItems = List.copyOf(selectItems);
        this.condition = condition;
        this.groupBy = groupBy;
    }

    /**
     * Parses a query.
     *
     * @throws HubException {@link HubErrorCode#ARGUMENT_INVALID} when the text is empty, longer than
     *                      {@value #MAX_LENGTH} characters, or not a valid query; the message names the line,
     *                      column and offending token
     */
    public static TwinQuery parse(String text) {
        if (text == null || text.isBlank()) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "The query is empty; expected for example "
                    + "\"SELECT * FROM devices\"");
        }
        if (text.length() > MAX_LENGTH) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "The query is " + text.length()
                    + " characters long; IoT Hub accepts at most " + MAX_LENGTH);
        }
        TwinQueryLexer lexer = new TwinQueryLexer(CharStreams.fromString(text));
        TwinQueryParser parser = new TwinQueryParser(new CommonTokenStream(lexer));
        SyntaxErrorReporter errors = new SyntaxErrorReporter();
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        TwinQueryParser.QueryContext tree;
        try {
            tree = parser.query();
        } catch (StackOverflowError tooDeep) {
            throw new HubException(HubErrorCode.ARGUMENT_INVALID, "The query is nested too deeply to be parsed");
        }
        return build(text, tree);
    }

    private static TwinQuery build(String text, TwinQueryParser.QueryContext tree) {
        Collection collection = collection(tree.collection());
        QueryTreeBuilder builder = new QueryTreeBuilder();
        OptionalInt top = tree.top() == null ? OptionalInt.empty() : OptionalInt.of(top(tree.top()));
        Optional<AttributePath> groupBy = Optional.ofNullable(tree.groupBy).map(builder::path);
        List<SelectItem> items;
        if (tree.selection() instanceof TwinQueryParser.ProjectionsContext projections) {
            items = builder.selectItems(projections.selectItem(), groupBy);
        } else {
            if (tree.groupBy != null) {
                throw SyntaxErrorReporter.at(tree.GROUP().getSymbol(),
                        "GROUP BY needs a projection such as \"SELECT <path>, COUNT() AS n\", not SELECT *");
            }
            items = List.of();
        }
        if (collection == Collection.JOBS && !items.isEmpty()) {
            throw SyntaxErrorReporter.at(tree.collection().getStart(), "FROM devices.jobs takes SELECT * only: IoT Hub"
                    + " has no projections or aggregates over job records");
        }
        Optional<Expression> condition = Optional.ofNullable(tree.where).map(builder::condition);
        return new TwinQuery(text, collection, top, items, condition, groupBy);
    }

    private static Collection collection(TwinQueryParser.CollectionContext collection) {
        String name = collection.getText().toLowerCase(Locale.ROOT);
        switch (name) {
            case "devices":
                return Collection.DEVICES;
            case "devices.modules":
                return Collection.MODULES;
            case "devices.jobs":
                return Collection.JOBS;
            default:
                throw SyntaxErrorReporter.at(collection.getStart(), "unknown collection '" + collection.getText()
                        + "'; the local hub queries FROM devices, FROM devices.modules and FROM devices.jobs");
        }
    }

    private static int top(TwinQueryParser.TopContext top) {
        try {
            return Integer.parseInt(top.count.getText());
        } catch (NumberFormatException tooLarge) {
            throw SyntaxErrorReporter.at(top.count, "TOP takes a whole number up to " + Integer.MAX_VALUE);
        }
    }

    /** What the query reads. */
    public Collection collection() {
        return collection;
    }

    /** The query exactly as it was sent. */
    public String text() {
        return text;
    }

    /** True for {@code SELECT *}: results are whole twins. */
    boolean selectsWholeTwins() {
        return selectItems.isEmpty();
    }

    /** True when results are groups (aggregates or GROUP BY) rather than one row per twin. */
    boolean isAggregate() {
        return groupBy.isPresent() || selectItems.stream().anyMatch(SelectItem.Aggregate.class::isInstance);
    }

    OptionalInt top() {
        return top;
    }

    List<SelectItem> selectItems() {
        return selectItems;
    }

    Optional<Expression> condition() {
        return condition;
    }

    Optional<AttributePath> groupBy() {
        return groupBy;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TwinQuery query && query.text.equals(text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
