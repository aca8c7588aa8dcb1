package dev.oasisj.core.app;

import java.util.List;

/**
 * Makes the application of one chain: in its genesis state, or rebuilt from a snapshot's entries (a checkpoint, or
 * state sync from a peer). The engine compares the rebuilt {@link Application#stateRoot()} with the root a committed
 * block names before it uses it.
 */
public interface ApplicationFactory {
    /** The application in its genesis state. */
    Application genesis();

    /**
     * The application rebuilt from {@code entries} (strictly ascending keys), with no pending transactions.
     *
     * @throws IllegalArgumentException if the entries are not a state of this application (with the reason)
     */
    Application restore(List<StateEntry> entries);
}
