package dev.oasisj.modelcheck;

/**
 * Malformed TLC output. The message carries source name, line and column, because the input is a generated file of
 * many kilobytes and "unexpected token" alone would not say where to look.
 */
public final class TlaParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    public TlaParseException(String source, int line, int column, String message) {
        super(source + ":" + line + ":" + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    public int line() { return line; }

    public int column() { return column; }
}
