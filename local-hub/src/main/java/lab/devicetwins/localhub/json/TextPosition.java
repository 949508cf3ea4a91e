package lab.devicetwins.localhub.json;

/**
 * Where a byte offset lies in a JSON text, as people count: line and column from 1, the column in characters
 * (code points, so a four-byte UTF-8 character is one column). LF, CR LF and a lone CR each end a line. Only
 * computed when a text is refused, so the reader does not track lines on the hot path.
 */
final class TextPosition {
    private TextPosition() {
    }

    /**
     * {@code line L, column C} for {@code offset} in {@code text[start..]}. Everything before a refused position
     * has passed the reader's checks, so it is valid UTF-8 and counting lead bytes counts characters.
     */
    static String of(byte[] text, int start, int offset) {
        int line = 1;
        int column = 1;
        for (int i = start; i < offset; i++) {
            byte b = text[i];
            if (b == '\n' || (b == '\r' && (i + 1 >= offset || text[i + 1] != '\n'))) {
                line++;
                column = 1;
            } else if (b != '\r' && (b & 0xC0) != 0x80) {
                column++;
            }
        }
        return "line " + line + ", column " + column;
    }
}
