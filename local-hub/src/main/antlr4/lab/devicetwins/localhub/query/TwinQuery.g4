/*
 * The IoT Hub query language as the local hub understands it:
 *   SELECT [TOP n] <projection> FROM <collection> [WHERE <condition>] [GROUP BY <path>]
 * Keywords are case-insensitive. Which functions exist, which collections are served and how values compare is
 * decided after parsing (QueryTreeBuilder, ConditionEvaluator), so that errors can say more than "unexpected token".
 */
grammar TwinQuery;

options { caseInsensitive = true; }

@lexer::members {
    /** The type of the last token handed to the parser (whitespace is skipped, so it is never that). */
    private int previousType = Token.INVALID_TYPE;

    @Override
    public Token nextToken() {
        Token token = super.nextToken();
        previousType = token.getType();
        return token;
    }

    /**
     * True where a name may run on over dashes: right after a dot (a member of a path, the part after the dot of a
     * collection) or after AS (an alias). The first segment of a path is never such a place, so `version-1` and
     * `a-b` stay subtractions.
     */
    private boolean atDashedNamePlace() {
        return previousType == DOT || previousType == AS;
    }
}

query
    : SELECT top? selection FROM collection (WHERE where=expression)? (GROUP BY groupBy=attributePath)? EOF
    ;

top
    : TOP count=INTEGER
    ;

selection
    : STAR                                            # allFields
    | selectItem (COMMA selectItem)*                  # projections
    ;

selectItem
    : (aggregate | attributePath) (AS alias=name)?
    ;

aggregate
    : COUNT LPAREN RPAREN                             # countAggregate
    | function=(SUM | AVG | MIN | MAX) LPAREN attributePath RPAREN    # valueAggregate
    ;

collection
    : name (DOT name)*
    ;

// The first segment must not be a keyword (so `status` works but `select` does not) and holds no dash; later segments
// may be any word, dashed names included (`properties.desired.KeyQuery3f2a-41c0`).
attributePath
    : IDENTIFIER segment*
    ;

segment
    : DOT name                                        # memberSegment
    | LBRACKET STRING RBRACKET                        # quotedSegment
    ;

name
    : IDENTIFIER | DASHED_NAME | SELECT | TOP | FROM | WHERE | GROUP | BY | AS | AND | OR | NOT | IN | NIN
    | COUNT | SUM | AVG | MIN | MAX | TRUE | FALSE | NULL | UNDEFINED
    ;

// Alternatives are listed from the tightest binding to the loosest.
expression
    : LPAREN expression RPAREN                                         # parenthesized
    | functionName=IDENTIFIER LPAREN (expression (COMMA expression)*)? RPAREN   # functionCall
    | constant                                                         # constantExpression
    | attributePath                                                    # pathExpression
    | op=(MINUS | PLUS) expression                                     # sign
    | expression op=(STAR | SLASH | PERCENT) expression                # multiplicative
    | expression op=(PLUS | MINUS) expression                          # additive
    | expression op=(EQ | NE | NE2 | LT | GT | LE | GE) expression     # comparison
    | expression op=(IN | NIN) arrayConstant                           # membership
    | NOT expression                                                   # not
    | expression AND expression                                        # and
    | expression OR expression                                         # or
    ;

constant
    : STRING                                          # stringConstant
    | MINUS? (INTEGER | DECIMAL | HEX)                # numberConstant
    | (TRUE | FALSE)                                  # booleanConstant
    | NULL                                            # nullConstant
    | UNDEFINED                                       # undefinedConstant
    | arrayConstant                                   # arrayConstantExpression
    ;

arrayConstant
    : LBRACKET (constant (COMMA constant)*)? RBRACKET
    ;

SELECT    : 'select';
TOP       : 'top';
FROM      : 'from';
WHERE     : 'where';
GROUP     : 'group';
BY        : 'by';
AS        : 'as';
AND       : 'and';
OR        : 'or';
NOT       : 'not';
IN        : 'in';
NIN       : 'nin';
COUNT     : 'count';
SUM       : 'sum';
AVG       : 'avg';
MIN       : 'min';
MAX       : 'max';
TRUE      : 'true';
FALSE     : 'false';
NULL      : 'null';
UNDEFINED : 'undefined';

STAR      : '*';
SLASH     : '/';
PERCENT   : '%';
PLUS      : '+';
MINUS     : '-';
EQ        : '=';
NE        : '!=';
NE2       : '<>';
LE        : '<=';
GE        : '>=';
LT        : '<';
GT        : '>';
LPAREN    : '(';
RPAREN    : ')';
LBRACKET  : '[';
RBRACKET  : ']';
COMMA     : ',';
DOT       : '.';

HEX       : '0x' [0-9a-f]+;
DECIMAL   : [0-9]+ '.' [0-9]* EXPONENT? | '.' [0-9]+ EXPONENT? | [0-9]+ EXPONENT;
INTEGER   : [0-9]+;
fragment EXPONENT : 'e' [+-]? [0-9]+;

STRING
    : '\'' (ESCAPE | ~['\\\r\n])* '\''
    | '"' (ESCAPE | ~["\\\r\n])* '"'
    ;
fragment ESCAPE : '\\' (['"\\] | 'u' [0-9a-f] [0-9a-f] [0-9a-f] [0-9a-f]);

IDENTIFIER : [a-z_$] [a-z_$0-9]*;

// A name with dashes inside, such as `KeyQuery3f2a-41c0` (the Java SDK's e2e tests name desired properties
// "KeyQuery" + a random UUID and send them unbracketed). Only where atDashedNamePlace() allows, and only when every
// dash sits between two name characters, so `a - 1`, `a -1`, `a- 1` and `a--1` are still arithmetic.
DASHED_NAME : [a-z_$] [a-z_$0-9]* ('-' [a-z_$0-9]+)+ {atDashedNamePlace()}?;

WHITESPACE : [ \t\r\n]+ -> skip;
