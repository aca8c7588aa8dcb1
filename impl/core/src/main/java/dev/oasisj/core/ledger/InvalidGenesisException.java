package dev.oasisj.core.ledger;

import java.util.List;

/** A genesis document that cannot start a chain; the message lists every problem found, one per line. */
public final class InvalidGenesisException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidGenesisException(List<String> problems) {
        super("invalid genesis: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
