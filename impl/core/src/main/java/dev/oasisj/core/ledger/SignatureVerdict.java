package dev.oasisj.core.ledger;

/**
 * Whether a transaction's signature was already checked before the transaction reached the node's state machine, and
 * with what result. The node agent checks signatures of submitted and gossiped transactions just before journaling
 * them ({@code NodeStateMachine.prepare}) and journals the verdict with the transaction, so that replaying the journal
 * does not verify the same signatures again. The mempool uses a verdict at exactly the point where it would otherwise
 * verify, so a transaction is accepted or refused, for the same reason, whichever verdict it carries.
 */
public enum SignatureVerdict {
    /** Not checked yet: the mempool verifies the signature itself. */
    NOT_CHECKED,
    /** Checked: a valid Ed25519 signature by the sender over the transaction's signing bytes. */
    VALID,
    /** Checked: not a valid signature by the sender. */
    INVALID
}
