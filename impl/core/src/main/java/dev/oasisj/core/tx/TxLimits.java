package dev.oasisj.core.tx;

import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.LedgerLimits;

/**
 * Every bound of the transaction envelope, in one place. {@link SignedTransactionCodec} checks the total size against
 * {@link #MAX_ENVELOPE_BYTES} before it reads anything, and every length prefix against its field's bound before it
 * allocates.
 */
public final class TxLimits {
    private TxLimits() {}

    /** Longest chain id, in UTF-8 bytes: the ledger's bound, so an envelope names any chain the ledger can. */
    public static final int MAX_CHAIN_ID_BYTES = LedgerLimits.MAX_CHAIN_ID_BYTES;

    /** Shortest method name: one service letter, the dot, one method letter ({@code "a.B"}). */
    public static final int MIN_METHOD_NAME_CHARS = 3;

    /** Longest method name (ASCII, so characters and bytes are the same count). */
    public static final int MAX_METHOD_NAME_CHARS = 64;

    /**
     * Largest body of any method, 16 KiB. Each method registers its own, smaller or equal, bound
     * ({@link TxMethod#maxBodyBytes()}); this one bounds the envelope before the method is known.
     */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    /**
     * Largest encoded envelope, derived from the field bounds: version byte, chain id (4-byte length + bytes), signer
     * key, nonce, fee amount and gas limit (8 bytes each), method name (4-byte length + bytes), body (4-byte length +
     * bytes), signature. 16,645 bytes; an envelope with every field at its bound encodes to exactly this size.
     */
    public static final int MAX_ENVELOPE_BYTES = 1
            + 4 + MAX_CHAIN_ID_BYTES
            + PublicKey.SIZE_BYTES
            + 8 + 8 + 8
            + 4 + MAX_METHOD_NAME_CHARS
            + 4 + MAX_BODY_BYTES
            + Signer.SIGNATURE_SIZE_BYTES;
}
