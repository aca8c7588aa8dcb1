package dev.oasisj.core.consensus;

/** The spec's {@code step}: where a validator is in its round. */
public enum Step {
    PROPOSE, PREVOTE, PRECOMMIT, DECIDED
}
