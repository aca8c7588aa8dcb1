package dev.oasisj.core.ledger;

import dev.oasisj.core.app.Application;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.util.ArrayList;
import java.util.List;

/**
 * The one encoding of a {@link Block}: version byte, height, previous hash, proposer, state root, validators hash,
 * next validators hash, last commit (round, count, then key and signature per entry), transaction count, then each
 * transaction length-prefixed, evidence count, then each piece of evidence length-prefixed (version 3; version 2 had
 * no validator set hashes, version 1 no evidence; both are refused). Every count and
 * length is checked against {@link LedgerLimits} before allocation, the total size before anything is read; trailing
 * bytes are rejected. Transactions stay encoded: the node decodes and checks them when it validates the block.
 */
public final class BlockCodec {
    /** 3: the validator set hashes after the state root (2: evidence after the transactions). */
    public static final int VERSION = 3;

    private BlockCodec() {}

    public static byte[] encode(Block block) {
        Writer w = new Writer(encodedSize(block)).u8(VERSION).i64(block.height())
                .fixed(block.previousBlockHash().toBytes()).fixed(block.proposer().toBytes())
                .fixed(block.stateRoot().toBytes()).fixed(block.validatorsHash().toBytes())
                .fixed(block.nextValidatorsHash().toBytes());
        encodeCommit(w, block.lastCommit());
        List<byte[]> txs = block.transactionsShared();
        w.i32(txs.size());
        for (byte[] tx : txs) {
            w.bytes(tx);
        }
        List<byte[]> evidence = block.evidenceShared();
        w.i32(evidence.size());
        for (byte[] e : evidence) {
            w.bytes(e);
        }
        return w.toBytes();
    }

    /** The length of {@link #encode}'s result, computed without encoding. */
    public static int encodedSize(Block block) {
        int size = 1 + 8 + Hash32.SIZE_BYTES + PublicKey.SIZE_BYTES + 3 * Hash32.SIZE_BYTES
                + 4 + 4 + block.lastCommit().signatures().size() * (PublicKey.SIZE_BYTES + Signer.SIGNATURE_SIZE_BYTES)
                + 4;
        for (byte[] tx : block.transactionsShared()) {
            size += 4 + tx.length;
        }
        size += 4;
        for (byte[] e : block.evidenceShared()) {
            size += 4 + e.length;
        }
        return size;
    }

    /** Writes a commit as blocks carry it: round, signature count, then key and signature per entry. */
    public static void encodeCommit(Writer w, Commit commit) {
        commit.writeTo(w);
    }

    /**
     * Reads a commit written by {@link #encodeCommit}: a round &gt;= 0, at most {@link LedgerLimits#MAX_VALIDATORS}
     * signatures (checked before allocation), then the key/signature pairs. Errors name the field under {@code where}
     * (e.g. {@code block.lastCommit.round}).
     */
    public static Commit decodeCommit(Reader r, String where) throws DecodeException {
        int round = r.i32(where + ".round");
        if (round < 0) {
            throw new DecodeException(where + ".round: negative " + round);
        }
        int signatureCount = r.count(LedgerLimits.MAX_VALIDATORS, where + ".signatures");
        List<Commit.Signature> signatures = new ArrayList<>(signatureCount);
        for (int i = 0; i < signatureCount; i++) {
            PublicKey validator = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, where + ".validator"));
            byte[] signature = r.fixed(Signer.SIGNATURE_SIZE_BYTES, where + ".signature");
            signatures.add(new Commit.Signature(validator, signature));
        }
        return new Commit(round, signatures);
    }

    public static Block decode(byte[] bytes) throws DecodeException {
        if (bytes.length > LedgerLimits.MAX_BLOCK_BYTES) {
            throw new DecodeException("block: " + bytes.length + " bytes exceeds the limit of "
                    + LedgerLimits.MAX_BLOCK_BYTES);
        }
        Reader r = new Reader(bytes);
        int version = r.u8("block.version");
        if (version != VERSION) {
            throw new DecodeException("block.version: unknown version " + version + " (expected " + VERSION + ")");
        }
        long height = r.i64("block.height");
        if (height < 1) {
            throw new DecodeException("block.height: must be >= 1, got " + height);
        }
        Hash32 previous = Hash32.of(r.fixed(Hash32.SIZE_BYTES, "block.previousBlockHash"));
        PublicKey proposer = PublicKey.of(r.fixed(PublicKey.SIZE_BYTES, "block.proposer"));
        Hash32 stateRoot = Hash32.of(r.fixed(Hash32.SIZE_BYTES, "block.stateRoot"));
        Hash32 validatorsHash = Hash32.of(r.fixed(Hash32.SIZE_BYTES, "block.validatorsHash"));
        Hash32 nextValidatorsHash = Hash32.of(r.fixed(Hash32.SIZE_BYTES, "block.nextValidatorsHash"));
        Commit lastCommit = decodeCommit(r, "block.lastCommit");
        int txCount = r.count(LedgerLimits.MAX_BLOCK_TRANSACTIONS, "block.transactions");
        List<byte[]> txs = new ArrayList<>(txCount);
        long txBytes = 0;
        for (int i = 0; i < txCount; i++) {
            byte[] tx = r.bytes(Application.MAX_TRANSACTION_BYTES, "block.transactions[" + i + "]");
            txBytes += tx.length;
            if (txBytes > LedgerLimits.MAX_BLOCK_TRANSACTION_BYTES) {
                throw new DecodeException("block.transactions: more than " + LedgerLimits.MAX_BLOCK_TRANSACTION_BYTES
                        + " bytes");
            }
            txs.add(tx);
        }
        int evidenceCount = r.count(LedgerLimits.MAX_BLOCK_EVIDENCE, "block.evidence");
        List<byte[]> evidence = new ArrayList<>(evidenceCount);
        for (int i = 0; i < evidenceCount; i++) {
            evidence.add(r.bytes(LedgerLimits.MAX_EVIDENCE_BYTES, "block.evidence[" + i + "]"));
        }
        r.end("block");
        return new Block(height, previous, proposer, txs, lastCommit, stateRoot, evidence, validatorsHash,
                nextValidatorsHash);
    }
}
