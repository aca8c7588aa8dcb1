package dev.oasisj.core.ledger;

import dev.oasisj.core.crypto.DecodedKeyCache;
import dev.oasisj.core.crypto.Hash32;
import java.util.Optional;

/**
 * A transaction whose signature has been checked, with its encoding and hash computed once. Only {@link #verify}
 * creates one, so holding a {@code VerifiedTransaction} proves the (expensive, about 100 us) Ed25519 check passed;
 * the mempool and the block builder keep these to avoid verifying one transaction several times. The one exception,
 * {@link #checkedBefore}, is package-private and used only by the mempool for a transaction whose signature the node
 * checked before journaling it ({@link SignatureVerdict#VALID}).
 */
public final class VerifiedTransaction {
    private final Transaction transaction;
    private final byte[] encoded;
    private final Hash32 hash;

    private VerifiedTransaction(Transaction transaction, byte[] encoded, Hash32 hash) {
        this.transaction = transaction;
        this.encoded = encoded;
        this.hash = hash;
    }

    /** The verified transaction, or empty when the signature is not a valid signature by the sender. */
    public static Optional<VerifiedTransaction> verify(Transaction tx) {
        return tx.hasValidSignature() ? Optional.of(encode(tx)) : Optional.empty();
    }

    /** {@link #verify(Transaction)} with the sender's decoded key taken from {@code keys} (same answers). */
    public static Optional<VerifiedTransaction> verify(Transaction tx, DecodedKeyCache keys) {
        return tx.hasValidSignature(keys) ? Optional.of(encode(tx)) : Optional.empty();
    }

    /**
     * As {@link #verify(Transaction, DecodedKeyCache)} for a caller that has already computed {@code encoded}
     * ({@code TransactionCodec.encode(tx)}, owned by the result from now on) and {@code hash} (its SHA-256).
     */
    static Optional<VerifiedTransaction> verify(Transaction tx, byte[] encoded, Hash32 hash, DecodedKeyCache keys) {
        return tx.hasValidSignature(keys) ? Optional.of(new VerifiedTransaction(tx, encoded, hash)) : Optional.empty();
    }

    /**
     * A transaction whose signature the node itself found valid before journaling it (a {@link SignatureVerdict#VALID}
     * verdict journaled with it); {@code encoded} and {@code hash} as for {@link #verify(Transaction, byte[], Hash32,
     * DecodedKeyCache)}.
     */
    static VerifiedTransaction checkedBefore(Transaction tx, byte[] encoded, Hash32 hash) {
        return new VerifiedTransaction(tx, encoded, hash);
    }

    private static VerifiedTransaction encode(Transaction tx) {
        byte[] encoded = TransactionCodec.encode(tx);
        return new VerifiedTransaction(tx, encoded, Hash32.sha256(encoded));
    }

    public Transaction transaction() {
        return transaction;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    /** The encoding itself, not a copy: for this package, which only reads it or copies it. */
    byte[] encodedShared() {
        return encoded;
    }

    public int sizeBytes() {
        return encoded.length;
    }

    public Hash32 hash() {
        return hash;
    }

    @Override
    public String toString() {
        return "Verified" + transaction + "#" + hash.shortHex();
    }
}
