package dev.oasisj.node;

/** A journal record could not be written or read back. The node must stop rather than apply an unjournaled input. */
public final class JournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
