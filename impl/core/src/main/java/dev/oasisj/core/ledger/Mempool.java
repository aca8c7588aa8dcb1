package dev.oasisj.core.ledger;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.DecodedKeyCache;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Transactions waiting for a block: bounded in count, bytes and per-sender count ({@link LedgerLimits}), ordered by
 * arrival, deduplicated by transaction hash. Owned by one node and used from its single thread (mutable, no
 * synchronization). Deterministic: only sorted maps, and arrival is a counter, not a clock.
 *
 * <p>Admission ({@link #add}) accepts a transaction only if it would apply right after the sender's pending ones: its
 * nonce is the ledger nonce plus the number of the sender's pending transactions (no gaps, no duplicates), and the
 * sender's balance covers all its pending debits plus this one. Cheap checks run first; the signature (about 100 us)
 * last, or, for a transaction the node agent checked before journaling it, the journaled {@link SignatureVerdict}.
 * So pending transactions of one sender always have consecutive nonces in arrival order.
 *
 * <p>After a block commits, {@link #removeCommitted} drops the block's transactions and re-checks the rest against the
 * new ledger: per sender, only the run of consecutive nonces starting at the new ledger nonce whose debits the balance
 * covers is kept.
 */
public final class Mempool {
    /** The outcome of {@link #add}. */
    public sealed interface AddResult {
        record Added(VerifiedTransaction transaction) implements AddResult {}

        record Refused(RejectReason reason, String detail) implements AddResult {}
    }

    /** A block's worth of transactions and the ledger after them, fees paid to the proposer. */
    public record Candidate(List<VerifiedTransaction> transactions, Ledger ledgerAfter) {
        public Candidate {
            transactions = List.copyOf(transactions);
        }

        /** The encoded transactions, to build the block from (the block copies them). */
        public List<byte[]> encodedTransactions() {
            List<byte[]> out = new ArrayList<>(transactions.size());
            for (VerifiedTransaction t : transactions) {
                out.add(t.encodedShared());
            }
            return out;
        }
    }

    private static final class Pending {
        final TreeMap<Long, VerifiedTransaction> byNonce = new TreeMap<>();
        long debitBaseUnits;
    }

    private final int maxTransactions;
    private final long maxBytes;
    private final int maxPerSender;

    private final TreeMap<Long, VerifiedTransaction> byArrival = new TreeMap<>();
    private final TreeMap<Hash32, Long> arrivalByHash = new TreeMap<>();
    private final TreeMap<PublicKey, Pending> bySender = new TreeMap<>();
    /** Senders' decoded keys for signature checks (same answers as without; see {@link DecodedKeyCache}). */
    private final DecodedKeyCache keyCache = new DecodedKeyCache();
    private long nextArrival;
    private long sizeBytes;

    public Mempool() {
        this(LedgerLimits.MAX_MEMPOOL_TRANSACTIONS, LedgerLimits.MAX_MEMPOOL_BYTES,
                LedgerLimits.MAX_MEMPOOL_TRANSACTIONS_PER_SENDER);
    }

    /** A mempool with smaller bounds (tests); each must be positive and at most the {@link LedgerLimits} value. */
    public Mempool(int maxTransactions, long maxBytes, int maxPerSender) {
        if (maxTransactions <= 0 || maxTransactions > LedgerLimits.MAX_MEMPOOL_TRANSACTIONS || maxBytes <= 0
                || maxBytes > LedgerLimits.MAX_MEMPOOL_BYTES || maxPerSender <= 0
                || maxPerSender > LedgerLimits.MAX_MEMPOOL_TRANSACTIONS_PER_SENDER) {
            throw new IllegalArgumentException("mempool bounds out of range: " + maxTransactions + ", " + maxBytes
                    + ", " + maxPerSender);
        }
        this.maxTransactions = maxTransactions;
        this.maxBytes = maxBytes;
        this.maxPerSender = maxPerSender;
    }

    /** The decoded-key cache this mempool verifies with; its node's block validation shares it. */
    public DecodedKeyCache keyCache() {
        return keyCache;
    }

    /** Decodes and admits an encoded transaction (see the class comment for the rules). */
    public AddResult add(byte[] encoded, Ledger ledger) {
        return add(encoded, ledger, SignatureVerdict.NOT_CHECKED);
    }

    /**
     * As {@link #add(byte[], Ledger)}, with the signature check replaced by {@code verdict} unless it is
     * {@link SignatureVerdict#NOT_CHECKED}: the verdict is used where the check would run, after every other rule, so
     * the outcome and its reason are the same as without it when the verdict is the true one ({@link #checkSignature}).
     */
    public AddResult add(byte[] encoded, Ledger ledger, SignatureVerdict verdict) {
        Transaction tx;
        try {
            tx = TransactionCodec.decode(encoded);
        } catch (DecodeException e) {
            return new AddResult.Refused(RejectReason.MALFORMED, String.valueOf(e.getMessage()));
        }
        return add(tx, ledger, verdict);
    }

    /**
     * The signature verdict for an encoded transaction (submitted by a client or gossiped by a peer), checked ahead of
     * {@link #add} (by the node agent, before it journals the transaction with the verdict). {@link SignatureVerdict#NOT_CHECKED} when the bytes do not decode
     * or a rule that needs no account state fails (chain id, amounts, self-transfer): {@code add} refuses those before
     * it reaches the signature, so checking it would be wasted work. Pure in {@code encoded} and the ledger's chain id.
     */
    public SignatureVerdict checkSignature(byte[] encoded, Ledger ledger) {
        Transaction tx;
        try {
            tx = TransactionCodec.decode(encoded);
        } catch (DecodeException e) {
            return SignatureVerdict.NOT_CHECKED;
        }
        if (ledger.statelessReason(tx) != null) {
            return SignatureVerdict.NOT_CHECKED;
        }
        return tx.hasValidSignature(keyCache) ? SignatureVerdict.VALID : SignatureVerdict.INVALID;
    }

    /** Admits a decoded transaction (see the class comment for the rules). */
    public AddResult add(Transaction tx, Ledger ledger) {
        return add(tx, ledger, SignatureVerdict.NOT_CHECKED);
    }

    private AddResult add(Transaction tx, Ledger ledger, SignatureVerdict verdict) {
        byte[] encoded = TransactionCodec.encode(tx);
        Hash32 hash = Hash32.sha256(encoded);
        if (arrivalByHash.containsKey(hash)) {
            return new AddResult.Refused(RejectReason.DUPLICATE, "already pending: " + hash.shortHex());
        }
        @Nullable Pending pending = bySender.get(tx.sender());
        int pendingCount = pending == null ? 0 : pending.byNonce.size();
        long pendingDebit = pending == null ? 0 : pending.debitBaseUnits;
        Account now = ledger.account(tx.sender());
        Account afterPending = new Account(Math.max(0, now.balanceBaseUnits() - pendingDebit),
                now.nonce() + pendingCount);
        Ledger.@Nullable Rejected rejected = ledger.checkAgainst(tx, afterPending);
        if (rejected != null) {
            return new AddResult.Refused(rejected.reason(), rejected.detail()
                    + (pendingCount > 0 ? " (after " + pendingCount + " pending)" : ""));
        }
        if (byArrival.size() >= maxTransactions || sizeBytes + encoded.length > maxBytes) {
            return new AddResult.Refused(RejectReason.MEMPOOL_FULL, "mempool holds " + byArrival.size()
                    + " transactions, " + sizeBytes + " bytes");
        }
        if (pendingCount >= maxPerSender) {
            return new AddResult.Refused(RejectReason.MEMPOOL_FULL, "sender " + tx.sender().shortId() + " has "
                    + pendingCount + " pending transactions");
        }
        Optional<VerifiedTransaction> verified = switch (verdict) {
            case NOT_CHECKED -> VerifiedTransaction.verify(tx, encoded, hash, keyCache);
            case VALID -> Optional.of(VerifiedTransaction.checkedBefore(tx, encoded, hash));
            case INVALID -> Optional.empty();
        };
        if (verified.isEmpty()) {
            return new AddResult.Refused(RejectReason.BAD_SIGNATURE, "signature does not verify for sender "
                    + tx.sender().shortId());
        }
        insert(verified.get());
        return new AddResult.Added(verified.get());
    }

    private void insert(VerifiedTransaction vtx) {
        long arrival = nextArrival++;
        byArrival.put(arrival, vtx);
        arrivalByHash.put(vtx.hash(), arrival);
        Pending p = bySender.computeIfAbsent(vtx.transaction().sender(), k -> new Pending());
        p.byNonce.put(vtx.transaction().nonce(), vtx);
        p.debitBaseUnits += vtx.transaction().amountBaseUnits() + vtx.transaction().feeBaseUnits();
        sizeBytes += vtx.sizeBytes();
    }

    private void remove(VerifiedTransaction vtx) {
        @Nullable Long arrival = arrivalByHash.remove(vtx.hash());
        if (arrival == null) {
            return;
        }
        byArrival.remove(arrival);
        sizeBytes -= vtx.sizeBytes();
        PublicKey sender = vtx.transaction().sender();
        @Nullable Pending p = bySender.get(sender);
        if (p != null) {
            p.byNonce.remove(vtx.transaction().nonce());
            p.debitBaseUnits -= vtx.transaction().amountBaseUnits() + vtx.transaction().feeBaseUnits();
            if (p.byNonce.isEmpty()) {
                bySender.remove(sender);
            }
        }
    }

    /**
     * The transactions for the next block, in arrival order: each is tried on the ledger left by the previous ones and
     * kept only if it applies (a nonce re-check against {@code ledger}); stops at the block's count and byte limits.
     * Does not change the mempool: the block may not be decided.
     */
    public Candidate buildBlock(Ledger ledger, PublicKey proposer, int maxCount, int maxBytesInBlock) {
        int count = Math.min(maxCount, LedgerLimits.MAX_BLOCK_TRANSACTIONS);
        int bytesLimit = Math.min(maxBytesInBlock, LedgerLimits.MAX_BLOCK_TRANSACTION_BYTES);
        List<VerifiedTransaction> chosen = new ArrayList<>();
        Ledger l = ledger;
        int bytes = 0;
        for (VerifiedTransaction vtx : byArrival.values()) {
            if (chosen.size() >= count || bytes + vtx.sizeBytes() > bytesLimit) {
                break;
            }
            Ledger.Result r = l.apply(vtx);
            if (r instanceof Ledger.Applied applied) {
                chosen.add(vtx);
                bytes += vtx.sizeBytes();
                l = applied.ledger();
            }
        }
        return new Candidate(chosen, l.payFeesTo(proposer));
    }

    /** Drops the committed transactions, then re-checks the rest against the ledger after the block. */
    public void removeCommitted(Collection<Hash32> committed, Ledger ledgerAfter) {
        for (Hash32 h : committed) {
            @Nullable Long arrival = arrivalByHash.get(h);
            if (arrival != null) {
                @Nullable VerifiedTransaction vtx = byArrival.get(arrival);
                if (vtx != null) {
                    remove(vtx);
                }
            }
        }
        List<VerifiedTransaction> stale = new ArrayList<>();
        for (Map.Entry<PublicKey, Pending> e : bySender.entrySet()) {
            Account account = ledgerAfter.account(e.getKey());
            long expectedNonce = account.nonce();
            long balance = account.balanceBaseUnits();
            boolean broken = false;
            for (VerifiedTransaction vtx : e.getValue().byNonce.values()) {
                Transaction tx = vtx.transaction();
                long debit = tx.amountBaseUnits() + tx.feeBaseUnits();
                if (broken || tx.nonce() != expectedNonce || debit > balance) {
                    stale.add(vtx);
                    // a transaction with a lower nonce (already used) does not break the run; a gap or a shortfall does
                    broken = broken || tx.nonce() > expectedNonce || debit > balance;
                    continue;
                }
                expectedNonce++;
                balance -= debit;
            }
        }
        for (VerifiedTransaction vtx : stale) {
            remove(vtx);
        }
    }

    public boolean contains(Hash32 hash) {
        return arrivalByHash.containsKey(hash);
    }

    /** The pending transaction with this hash (lets the node skip re-verifying a block's known transactions). */
    public Optional<VerifiedTransaction> get(Hash32 hash) {
        @Nullable Long arrival = arrivalByHash.get(hash);
        return arrival == null ? Optional.empty() : Optional.ofNullable(byArrival.get(arrival));
    }

    public int size() {
        return byArrival.size();
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** Pending transactions in arrival order (a copy). */
    public List<VerifiedTransaction> pending() {
        return new ArrayList<>(byArrival.values());
    }
}
