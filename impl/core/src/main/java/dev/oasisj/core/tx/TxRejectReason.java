package dev.oasisj.core.tx;

/**
 * Why {@link MethodRegistry#decode} refused an envelope's method or body. Machine-readable; stable names; listed in the
 * order the registry checks them (the first failing check is the reason). Reasons about the envelope itself (its
 * encoding, its signature, its chain, nonce and fee) are not here: a malformed encoding is a {@code DecodeException}
 * of {@link SignedTransactionCodec}, and the others need the ledger's state.
 */
public enum TxRejectReason {
    /** No service registered the envelope's method. */
    UNKNOWN_METHOD,
    /** The body is longer than the method's own bound ({@link TxMethod#maxBodyBytes()}); its codec never runs. */
    BODY_TOO_LARGE,
    /** The method's codec refused the body ({@code DecodeException}: truncated, out of range, trailing bytes...). */
    MALFORMED_BODY,
    /** The body decodes, but the value re-encodes to other bytes: one value would have two encodings (and hashes). */
    NON_CANONICAL_BODY
}
