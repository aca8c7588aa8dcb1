package dev.oasisj.core.consensus;

/** The outcome of {@link ConsensusCore#deliver}: accepted into the log, or rejected with nothing changed. */
public sealed interface DeliverResult permits DeliverResult.Accepted, DeliverResult.Rejected {

    /** Why a message was rejected. */
    enum Reason {
        BAD_SIGNATURE, UNKNOWN_VALIDATOR, STALE_HEIGHT, FUTURE_HEIGHT_TOO_FAR, ROUND_TOO_FAR, NOT_PROPOSER,
        DUPLICATE, EQUIVOCATION_LIMIT, OWN_CONFLICT
    }

    record Accepted() implements DeliverResult {}

    record Rejected(Reason reason, String detail) implements DeliverResult {}

    default boolean accepted() {
        return this instanceof Accepted;
    }
}
