package dev.oasisj.core.ledger;

/** Why a transaction was not applied (or not admitted to the mempool). Machine-readable; stable names. */
public enum RejectReason {
    /** Bytes are not a valid transaction encoding (size, version, truncation, trailing bytes). */
    MALFORMED,
    /** The signature is not a valid Ed25519 signature by the sender over the signing bytes. */
    BAD_SIGNATURE,
    /** The transaction names another chain (prevents cross-chain replay). */
    WRONG_CHAIN,
    /** The nonce is not the sender's next nonce: a replay (too low) or a gap (too high). */
    BAD_NONCE,
    /** The sender's balance is below amount + fee. */
    INSUFFICIENT_BALANCE,
    /** The amount is zero: a transfer must move something (zero-amount spam would only burn nonces). */
    ZERO_AMOUNT,
    /** The amount or the fee is negative. */
    NEGATIVE_VALUE,
    /** Sender and recipient are the same account: refused, it would only move the fee and the nonce. */
    SELF_TRANSFER,
    /** amount + fee does not fit in 64 bits. */
    OVERFLOW,
    /** The mempool holds its maximum count or bytes (or the sender its per-sender maximum). */
    MEMPOOL_FULL,
    /** The mempool already holds a transaction with this hash. */
    DUPLICATE
}
