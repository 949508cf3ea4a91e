package lab.devicetwins.localhub.query;

import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/** Turns the first lexer or parser error into a 400 that names the line, the column and the offending text. */
final class SyntaxErrorReporter extends BaseErrorListener {

    private static final String LEXER_PREFIX = "token recognition error at: ";

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                            String msg, RecognitionException e) {
        String near;
        if (offendingSymbol instanceof Token token) {
            near = token.getType() == Token.EOF ? "the end of the query" : "'" + token.getText() + "'";
        } else if (msg.startsWith(LEXER_PREFIX)) {
            // ANTLR quotes the text itself.
            near = msg.substring(LEXER_PREFIX.length());
            boolean stringConstant = near.startsWith("''") || near.startsWith("'\"");
            msg = stringConstant
                    ? "unexpected character: a string constant is not closed on its line, or uses an escape other "
                            + "than \\' \\\" \\\\ \\uXXXX"
                    : "unexpected character";
        } else {
            near = "?";
        }
        throw at(line, charPositionInLine, near, msg.replace("'<EOF>'", "end of query"));
    }

    /** A 400 for a problem found at a place in the query text; {@code column} is ANTLR's zero-based position. */
    static HubException at(int line, int column, String near, String problem) {
        return new HubException(HubErrorCode.ARGUMENT_INVALID,
                "Invalid query: line " + line + ", column " + (column + 1) + ", near " + near + ": " + problem);
    }

    static HubException at(Token token, String problem) {
        return at(token.getLine(), token.getCharPositionInLine(), "'" + token.getText() + "'", problem);
    }
}
