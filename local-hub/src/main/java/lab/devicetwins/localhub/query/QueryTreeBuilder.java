package lab.devicetwins.localhub.query;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import lab.devicetwins.localhub.query.Expression.BinaryOperator;
import lab.devicetwins.localhub.query.TwinQueryParser.AggregateContext;
import lab.devicetwins.localhub.query.TwinQueryParser.AttributePathContext;
import lab.devicetwins.localhub.query.TwinQueryParser.ConstantContext;
import lab.devicetwins.localhub.query.TwinQueryParser.CountAggregateContext;
import lab.devicetwins.localhub.query.TwinQueryParser.MemberSegmentContext;
import lab.devicetwins.localhub.query.TwinQueryParser.QuotedSegmentContext;
import lab.devicetwins.localhub.query.TwinQueryParser.SegmentContext;
import lab.devicetwins.localhub.query.TwinQueryParser.SelectItemContext;
import lab.devicetwins.localhub.query.TwinQueryParser.ValueAggregateContext;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/** Reads ANTLR's parse tree into the query model, checking what the grammar cannot (functions, collections, keys). */
final class QueryTreeBuilder extends TwinQueryBaseVisitor<Expression> {

    /**
     * Deeper conditions are refused: far beyond what a real query needs, and it keeps the recursion of building
     * and evaluating a condition shallow whatever a client sends.
     */
    static final int MAX_EXPRESSION_DEPTH = 40;

    private int depth;

    Expression condition(TwinQueryParser.ExpressionContext context) {
        return visit(context);
    }

    List<SelectItem> selectItems(List<SelectItemContext> contexts, Optional<AttributePath> groupBy) {
        List<SelectItem> items = new ArrayList<>();
        int unnamedAggregates = 0;
        boolean aggregated = groupBy.isPresent()
                || contexts.stream().anyMatch(item -> item.aggregate() != null);
        for (SelectItemContext item : contexts) {
            Optional<String> alias = Optional.ofNullable(item.alias).map(ParserRuleContext::getText);
            SelectItem built;
            if (item.aggregate() != null) {
                String key = alias.isPresent() ? alias.get() : "$" + (++unnamedAggregates);
                built = aggregate(item.aggregate(), key);
            } else {
                AttributePath path = path(item.attributePath());
                if (aggregated && !groupBy.equals(Optional.of(path))) {
                    throw SyntaxErrorReporter.at(item.getStart(), "'" + path + "' is selected in a query with "
                            + "aggregates or GROUP BY, so it must be the GROUP BY path"
                            + groupBy.map(g -> " ('" + g + "')").orElse(" (there is no GROUP BY)"));
                }
                built = new SelectItem.Path(path, alias.orElse(path.lastSegment()));
            }
            for (SelectItem earlier : items) {
                if (earlier.key().equals(built.key())) {
                    throw SyntaxErrorReporter.at(item.getStart(), "two selected values would both be named '"
                            + built.key() + "'; give one of them another name with AS");
                }
            }
            items.add(built);
        }
        return items;
    }

    private SelectItem aggregate(AggregateContext context, String key) {
        if (context instanceof CountAggregateContext) {
            return new SelectItem.Aggregate(SelectItem.AggregateFunction.COUNT, Optional.empty(), key);
        }
        ValueAggregateContext value = (ValueAggregateContext) context;
        SelectItem.AggregateFunction function =
                SelectItem.AggregateFunction.valueOf(value.function.getText().toUpperCase(Locale.ROOT));
        return new SelectItem.Aggregate(function, Optional.of(path(value.attributePath())), key);
    }

    AttributePath path(AttributePathContext context) {
        List<String> segments = new ArrayList<>();
        segments.add(context.IDENTIFIER().getText());
        for (SegmentContext segment : context.segment()) {
            if (segment instanceof MemberSegmentContext member) {
                segments.add(member.name().getText());
            } else {
                Token quoted = ((QuotedSegmentContext) segment).STRING().getSymbol();
                String name = unquote(quoted);
                // The SQL engine's JSON paths could not spell these; still refused, as documented.
                if (name.indexOf('"') >= 0 || name.indexOf('\\') >= 0) {
                    throw SyntaxErrorReporter.at(quoted, "the local hub cannot address property names that "
                            + "contain a double quote or a backslash");
                }
                segments.add(name);
            }
        }
        return new AttributePath(segments);
    }

    @Override
    public Expression visitParenthesized(TwinQueryParser.ParenthesizedContext ctx) {
        return nested(ctx, () -> visit(ctx.expression()));
    }

    @Override
    public Expression visitFunctionCall(TwinQueryParser.FunctionCallContext ctx) {
        Token name = ctx.functionName;
        QueryFunction function = QueryFunction.named(name.getText()).orElseThrow(() ->
                SyntaxErrorReporter.at(name, "unknown function '" + name.getText() + "'"));
        if (!function.accepts(ctx.expression().size())) {
            throw SyntaxErrorReporter.at(name, function + " takes " + function.arity()
                    + ", not " + ctx.expression().size());
        }
        return nested(ctx, () -> new Expression.Call(function, ctx.expression().stream().map(this::visit).toList()));
    }

    @Override
    public Expression visitConstantExpression(TwinQueryParser.ConstantExpressionContext ctx) {
        return new Expression.Constant(constant(ctx.constant()));
    }

    @Override
    public Expression visitPathExpression(TwinQueryParser.PathExpressionContext ctx) {
        return new Expression.Attribute(path(ctx.attributePath()));
    }

    @Override
    public Expression visitSign(TwinQueryParser.SignContext ctx) {
        return nested(ctx, () -> {
            Expression operand = visit(ctx.expression());
            return ctx.op.getType() == TwinQueryParser.MINUS ? new Expression.Negate(operand) : operand;
        });
    }

    @Override
    public Expression visitMultiplicative(TwinQueryParser.MultiplicativeContext ctx) {
        BinaryOperator operator = switch (ctx.op.getType()) {
            case TwinQueryParser.STAR -> BinaryOperator.MULTIPLY;
            case TwinQueryParser.SLASH -> BinaryOperator.DIVIDE;
            default -> BinaryOperator.MODULO;
        };
        return binary(ctx, operator, ctx.expression(0), ctx.expression(1));
    }

    @Override
    public Expression visitAdditive(TwinQueryParser.AdditiveContext ctx) {
        BinaryOperator operator = ctx.op.getType() == TwinQueryParser.PLUS ? BinaryOperator.ADD : BinaryOperator.SUBTRACT;
        return binary(ctx, operator, ctx.expression(0), ctx.expression(1));
    }

    @Override
    public Expression visitComparison(TwinQueryParser.ComparisonContext ctx) {
        BinaryOperator operator = switch (ctx.op.getType()) {
            case TwinQueryParser.EQ -> BinaryOperator.EQUAL;
            case TwinQueryParser.NE, TwinQueryParser.NE2 -> BinaryOperator.NOT_EQUAL;
            case TwinQueryParser.LT -> BinaryOperator.LESS;
            case TwinQueryParser.GT -> BinaryOperator.GREATER;
            case TwinQueryParser.LE -> BinaryOperator.LESS_OR_EQUAL;
            default -> BinaryOperator.GREATER_OR_EQUAL;
        };
        return binary(ctx, operator, ctx.expression(0), ctx.expression(1));
    }

    @Override
    public Expression visitMembership(TwinQueryParser.MembershipContext ctx) {
        List<QueryValue> candidates = ctx.arrayConstant().constant().stream().map(this::constant).toList();
        return nested(ctx, () -> new Expression.Membership(
                visit(ctx.expression()), ctx.op.getType() == TwinQueryParser.NIN, candidates));
    }

    @Override
    public Expression visitNot(TwinQueryParser.NotContext ctx) {
        return nested(ctx, () -> new Expression.Not(visit(ctx.expression())));
    }

    @Override
    public Expression visitAnd(TwinQueryParser.AndContext ctx) {
        return binary(ctx, BinaryOperator.AND, ctx.expression(0), ctx.expression(1));
    }

    @Override
    public Expression visitOr(TwinQueryParser.OrContext ctx) {
        return binary(ctx, BinaryOperator.OR, ctx.expression(0), ctx.expression(1));
    }

    private Expression binary(ParserRuleContext ctx, BinaryOperator operator,
                              TwinQueryParser.ExpressionContext left, TwinQueryParser.ExpressionContext right) {
        return nested(ctx, () -> new Expression.Binary(operator, visit(left), visit(right)));
    }

    private <T> T nested(ParserRuleContext ctx, Supplier<T> inner) {
        if (++depth > MAX_EXPRESSION_DEPTH) {
            throw SyntaxErrorReporter.at(ctx.getStart(), "the condition is nested more than "
                    + MAX_EXPRESSION_DEPTH + " levels deep; simplify it");
        }
        try {
            return inner.get();
        } finally {
            depth--;
        }
    }

    QueryValue constant(ConstantContext context) {
        if (context instanceof TwinQueryParser.StringConstantContext text) {
            return new QueryValue.Text(unquote(text.STRING().getSymbol()));
        }
        if (context instanceof TwinQueryParser.NumberConstantContext number) {
            return new QueryValue.Numeric(number(number));
        }
        if (context instanceof TwinQueryParser.BooleanConstantContext bool) {
            return new QueryValue.Bool(bool.TRUE() != null);
        }
        if (context instanceof TwinQueryParser.NullConstantContext) {
            return new QueryValue.Null();
        }
        if (context instanceof TwinQueryParser.UndefinedConstantContext) {
            return new QueryValue.Undefined();
        }
        TwinQueryParser.ArrayConstantContext array =
                ((TwinQueryParser.ArrayConstantExpressionContext) context).arrayConstant();
        // Array constants nest too; without the limit [[[[..]]]] would exhaust the stack here.
        return nested(context, () -> new QueryValue.Array(array.constant().stream().map(this::constant).toList()));
    }

    private static Number number(TwinQueryParser.NumberConstantContext context) {
        Number magnitude;
        if (context.HEX() != null) {
            magnitude = integral(new BigInteger(context.HEX().getText().substring(2), 16));
        } else if (context.INTEGER() != null) {
            magnitude = integral(new BigInteger(context.INTEGER().getText()));
        } else {
            magnitude = Double.parseDouble(context.DECIMAL().getText());
        }
        if (context.MINUS() == null) {
            return magnitude;
        }
        if (magnitude instanceof Long whole) {
            return -whole;
        }
        return -magnitude.doubleValue();
    }

    /** Integers that fit stay exact; larger ones become doubles, as they would in JSON. */
    private static Number integral(BigInteger value) {
        if (value.bitLength() < 64) {
            return value.longValue();
        }
        return value.doubleValue();
    }

    /** The text of a string literal: quotes removed and the escapes {@code \' \" \\ \}{@code uXXXX} resolved. */
    static String unquote(Token literal) {
        String text = literal.getText();
        StringBuilder value = new StringBuilder(text.length());
        for (int i = 1; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                value.append(c);
                continue;
            }
            char escaped = text.charAt(++i);
            if (escaped == 'u' || escaped == 'U') {
                value.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                i += 4;
            } else {
                value.append(escaped);
            }
        }
        return value.toString();
    }
}
