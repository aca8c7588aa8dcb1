package dev.oasisj.core.ledger;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A block of the consensus chain. {@code transactions} are the encoded transactions, applied in list order;
 * {@code lastCommit} finalized the previous block ({@link Commit#GENESIS} in block 1); {@code stateRoot} is the ledger
 * root after applying the transactions and paying the fees to the proposer. {@code evidence} is the encoded
 * misbehaviour evidence the block carries (opaque here; the engine checks it, the application is told of it), at most
 * {@link LedgerLimits#MAX_BLOCK_EVIDENCE} pieces of at most {@link LedgerLimits#MAX_EVIDENCE_BYTES} each.
 *
 * {@code validatorsHash} is the hash ({@code ValidatorSet.hash()}) of the validator set of this height, and
 * {@code nextValidatorsHash} that of the set of the next height (validator sets per height: what block {@code h}
 * finalizes changes the set of {@code h + 2}, so the set of {@code h + 1} is known when block {@code h} is built).
 *
 * <p>{@link #hash()}: SHA-256 of the header encoding {@code "oasisj/block/v3" (length-prefixed) || height ||
 * previousBlockHash || proposer || transactionsRoot || lastCommit.hash() || stateRoot || evidenceRoot ||
 * validatorsHash || nextValidatorsHash}, where
 * {@code transactionsRoot = Hash32.sha256Parts(tx_1, ..., tx_n)} (each encoded transaction length-prefixed) and
 * {@code evidenceRoot} likewise over the evidence. The header commits to every byte of the block, so equal hashes
 * mean equal blocks.
 */
public record Block(long height, Hash32 previousBlockHash, PublicKey proposer, List<byte[]> transactions,
        Commit lastCommit, Hash32 stateRoot, List<byte[]> evidence, Hash32 validatorsHash,
        Hash32 nextValidatorsHash) {

    public static final String HASH_DOMAIN = "oasisj/block/v3";

    /**
     * A block without evidence whose set hashes are {@link Hash32#ZERO}: for codec, storage and wire tests. No node
     * accepts it (no validator set hashes to zero).
     */
    public Block(long height, Hash32 previousBlockHash, PublicKey proposer, List<byte[]> transactions,
            Commit lastCommit, Hash32 stateRoot) {
        this(height, previousBlockHash, proposer, transactions, lastCommit, stateRoot, List.of());
    }

    /** As the block without evidence above, with {@code evidence} (set hashes {@link Hash32#ZERO}). */
    public Block(long height, Hash32 previousBlockHash, PublicKey proposer, List<byte[]> transactions,
            Commit lastCommit, Hash32 stateRoot, List<byte[]> evidence) {
        this(height, previousBlockHash, proposer, transactions, lastCommit, stateRoot, evidence, Hash32.ZERO,
                Hash32.ZERO);
    }

    /** This block with other set hashes (for a proposer that fills them in, and for tests that forge them). */
    public Block withValidatorsHashes(Hash32 validators, Hash32 nextValidators) {
        return new Block(height, previousBlockHash, proposer, transactions, lastCommit, stateRoot, evidence, validators,
                nextValidators);
    }

    public Block {
        if (height < 1) {
            throw new IllegalArgumentException("block height must be >= 1, got " + height);
        }
        if (transactions.size() > LedgerLimits.MAX_BLOCK_TRANSACTIONS) {
            throw new IllegalArgumentException("at most " + LedgerLimits.MAX_BLOCK_TRANSACTIONS + " transactions");
        }
        List<byte[]> copy = new ArrayList<>(transactions.size());
        long bytes = 0;
        for (byte[] tx : transactions) {
            bytes += tx.length;
            copy.add(tx.clone());
        }
        if (bytes > LedgerLimits.MAX_BLOCK_TRANSACTION_BYTES) {
            throw new IllegalArgumentException("transactions total " + bytes + " bytes, limit "
                    + LedgerLimits.MAX_BLOCK_TRANSACTION_BYTES);
        }
        transactions = List.copyOf(copy);
        if (evidence.size() > LedgerLimits.MAX_BLOCK_EVIDENCE) {
            throw new IllegalArgumentException("at most " + LedgerLimits.MAX_BLOCK_EVIDENCE + " pieces of evidence");
        }
        List<byte[]> ev = new ArrayList<>(evidence.size());
        for (byte[] e : evidence) {
            if (e.length > LedgerLimits.MAX_EVIDENCE_BYTES) {
                throw new IllegalArgumentException("evidence of " + e.length + " bytes, limit "
                        + LedgerLimits.MAX_EVIDENCE_BYTES);
            }
            ev.add(e.clone());
        }
        evidence = List.copyOf(ev);
    }

    /** The encoded evidence (copies). */
    @Override
    public List<byte[]> evidence() {
        List<byte[]> copy = new ArrayList<>(evidence.size());
        for (byte[] e : evidence) {
            copy.add(e.clone());
        }
        return copy;
    }

    /** The encoded evidence itself, not copies: for this package's codec, which only reads it. */
    List<byte[]> evidenceShared() {
        return evidence;
    }

    public int evidenceCount() {
        return evidence.size();
    }

    /** The encoded transactions (copies). */
    @Override
    public List<byte[]> transactions() {
        List<byte[]> copy = new ArrayList<>(transactions.size());
        for (byte[] tx : transactions) {
            copy.add(tx.clone());
        }
        return copy;
    }

    /** The encoded transactions themselves, not copies: for this package's codec, which only reads them. */
    List<byte[]> transactionsShared() {
        return transactions;
    }

    public int transactionCount() {
        return transactions.size();
    }

    public Hash32 transactionsRoot() {
        return Hash32.sha256Parts(transactions.toArray(new byte[0][]));
    }

    public byte[] headerBytes() {
        return new Writer().string(HASH_DOMAIN).i64(height).fixed(previousBlockHash.toBytes())
                .fixed(proposer.toBytes()).fixed(transactionsRoot().toBytes()).fixed(lastCommit.hash().toBytes())
                .fixed(stateRoot.toBytes()).fixed(Hash32.sha256Parts(evidence.toArray(new byte[0][])).toBytes())
                .fixed(validatorsHash.toBytes()).fixed(nextValidatorsHash.toBytes()).toBytes();
    }

    public Hash32 hash() {
        return Hash32.sha256(headerBytes());
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (!(o instanceof Block b) || b.transactions.size() != transactions.size()
                || b.evidence.size() != evidence.size()) {
            return false;
        }
        for (int i = 0; i < transactions.size(); i++) {
            if (!Arrays.equals(transactions.get(i), b.transactions.get(i))) {
                return false;
            }
        }
        for (int i = 0; i < evidence.size(); i++) {
            if (!Arrays.equals(evidence.get(i), b.evidence.get(i))) {
                return false;
            }
        }
        return height == b.height && previousBlockHash.equals(b.previousBlockHash) && proposer.equals(b.proposer)
                && lastCommit.equals(b.lastCommit) && stateRoot.equals(b.stateRoot)
                && validatorsHash.equals(b.validatorsHash) && nextValidatorsHash.equals(b.nextValidatorsHash);
    }

    @Override
    public int hashCode() {
        return hash().hashCode();
    }

    @Override
    public String toString() {
        return "Block[h=" + height + " #" + hash().shortHex() + " prev=" + previousBlockHash.shortHex() + " txs="
                + transactions.size() + (evidence.isEmpty() ? "" : " evidence=" + evidence.size()) + " root=" + stateRoot.shortHex()
                + " vals=" + validatorsHash.shortHex() + " next=" + nextValidatorsHash.shortHex() + "]";
    }
}
