package dev.oasisj.core.ledger;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.ApplicationFactory;
import dev.oasisj.core.app.BlockContext;
import dev.oasisj.core.app.StateEntry;
import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Reader;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The transfer ledger as an {@link Application}: the committed {@link Ledger} and the {@link Mempool} of pending
 * transfers. Block validity is as before the seam: a block's transactions must all decode, verify and apply in order,
 * and the proposer is paid the block's fees.
 *
 * <p><b>Snapshot entries</b>: first the entry of the empty key, whose value is the total supply and the fee pool
 * (8 bytes each, big-endian); then one entry per account in ascending key order, key the 32-byte public key, value
 * the balance and the nonce (8 bytes each). {@link #factory} rebuilds a ledger from exactly that form and refuses
 * anything else (and a total supply other than the genesis one).
 *
 * <p><b>Queries</b>: {@code account} with a 32-byte key (value: balance, nonce; found false for an account never
 * touched, whose balance and nonce are 0); {@code supply} (value: total supply, fee pool).
 */
public final class TransferApplication implements Application {
    private static final byte[] META_KEY = new byte[0];

    private final long genesisSupplyBaseUnits;
    private final Mempool mempool = new Mempool();
    private Ledger ledger;

    /** The state after a block's transfers: the ledger, and the hashes of the transactions it includes. */
    private record LedgerStaged(Ledger ledger, List<Hash32> transactionHashes) implements Staged {
        @Override
        public Hash32 stateRoot() {
            return ledger.stateRoot();
        }
    }

    /** The snapshot of one ledger version (immutable), its entries listed on the first request. */
    private static final class LedgerSnapshot implements Snapshot {
        private final Ledger ledger;
        private @Nullable List<StateEntry> entries;

        LedgerSnapshot(Ledger ledger) {
            this.ledger = ledger;
        }

        @Override
        public int entryCount() {
            return ledger.accountCount() + 1;
        }

        @Override
        public List<StateEntry> entries() {
            List<StateEntry> e = entries;
            if (e == null) {
                List<StateEntry> list = new ArrayList<>(entryCount());
                list.add(new StateEntry(META_KEY, new Writer().i64(ledger.totalSupplyBaseUnits())
                        .i64(ledger.feePoolBaseUnits()).toBytes()));
                ledger.forEachAccount((k, a) -> list.add(new StateEntry(k.toBytes(),
                        new Writer().i64(a.balanceBaseUnits()).i64(a.nonce()).toBytes())));
                e = List.copyOf(list);
                entries = e;
            }
            return e;
        }
    }

    /** A transfer application on {@code ledger}, whose total supply must stay {@code genesisSupplyBaseUnits}. */
    public TransferApplication(Ledger ledger, long genesisSupplyBaseUnits) {
        this.ledger = ledger;
        this.genesisSupplyBaseUnits = genesisSupplyBaseUnits;
        checkInvariants();
    }

    /** Makes the transfer application of {@code genesis}. */
    public static ApplicationFactory factory(Genesis genesis) {
        long supply = genesis.totalSupplyBaseUnits();
        String chainId = genesis.chainId();
        return new ApplicationFactory() {
            @Override
            public Application genesis() {
                return new TransferApplication(Ledger.fromGenesis(genesis), supply);
            }

            @Override
            public Application restore(List<StateEntry> entries) {
                return new TransferApplication(ledgerOf(chainId, supply, entries), supply);
            }
        };
    }

    /** The ledger of snapshot {@code entries} (see the class comment), or {@link IllegalArgumentException}. */
    static Ledger ledgerOf(String chainId, long genesisSupply, List<StateEntry> entries) {
        if (entries.isEmpty() || entries.get(0).key().length != 0) {
            throw new IllegalArgumentException("a transfer snapshot starts with the entry of the empty key");
        }
        long supply;
        long feePool;
        List<Map.Entry<PublicKey, Account>> accounts = new ArrayList<>(entries.size() - 1);
        try {
            Reader meta = new Reader(entries.get(0).value());
            supply = meta.i64("snapshot.totalSupply");
            feePool = meta.i64("snapshot.feePool");
            meta.end("snapshot supply entry");
            for (int i = 1; i < entries.size(); i++) {
                StateEntry e = entries.get(i);
                if (e.key().length != PublicKey.SIZE_BYTES) {
                    throw new IllegalArgumentException("snapshot entry " + i + ": a key of " + e.key().length
                            + " bytes is not an account key");
                }
                Reader r = new Reader(e.value());
                long balance = r.i64("snapshot.balance");
                long nonce = r.i64("snapshot.nonce");
                r.end("snapshot account entry");
                if (balance < 0 || nonce < 0) {
                    throw new IllegalArgumentException("snapshot entry " + i + ": negative balance or nonce");
                }
                if (i > 1 && StateEntry.compareKeys(entries.get(i - 1), e) >= 0) {
                    throw new IllegalArgumentException("snapshot entry " + i + ": keys not strictly ascending");
                }
                accounts.add(Map.entry(PublicKey.of(e.key()), new Account(balance, nonce)));
            }
        } catch (DecodeException e) {
            throw new IllegalArgumentException("transfer snapshot: " + e.getMessage(), e);
        }
        if (supply != genesisSupply || feePool < 0) {
            throw new IllegalArgumentException("the snapshot's total supply " + supply + " is not the genesis supply "
                    + genesisSupply + " (or its fee pool " + feePool + " is negative)");
        }
        try {
            return Ledger.restore(chainId, accounts, supply, feePool);
        } catch (Invariant.ViolationException | ArithmeticException e) {
            throw new IllegalArgumentException("transfer snapshot: " + e.getMessage(), e);
        }
    }

    /** The committed ledger (immutable). */
    public Ledger ledger() {
        return ledger;
    }

    // ------------------------------------------------------------------------------------------ Application

    @Override
    public Hash32 stateRoot() {
        return ledger.stateRoot();
    }

    @Override
    public @Nullable String malformed(byte[] tx) {
        try {
            TransactionCodec.decode(tx);
            return null;
        } catch (DecodeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    @Override
    public SignatureVerdict checkSignature(byte[] tx) {
        return mempool.checkSignature(tx, ledger);
    }

    @Override
    public CheckResult checkTx(byte[] tx, SignatureVerdict verdict) {
        Mempool.AddResult r = mempool.add(tx, ledger, verdict);
        if (r instanceof Mempool.AddResult.Refused refused) {
            return new CheckResult.Refused(refused.reason().name(), refused.detail(),
                    refused.reason() == RejectReason.DUPLICATE);
        }
        return new CheckResult.Accepted();
    }

    @Override
    public int pendingCount() {
        return mempool.size();
    }

    @Override
    public List<byte[]> pendingTransactions() {
        List<byte[]> out = new ArrayList<>(mempool.size());
        for (VerifiedTransaction v : mempool.pending()) {
            out.add(v.encoded());
        }
        return out;
    }

    @Override
    public Proposal prepareProposal(BlockContext block, int maxTransactions, int maxBytes) {
        Mempool.Candidate c = mempool.buildBlock(ledger, block.proposer(), maxTransactions, maxBytes);
        List<Hash32> hashes = new ArrayList<>(c.transactions().size());
        for (VerifiedTransaction t : c.transactions()) {
            hashes.add(t.hash());
        }
        return new Proposal(c.encodedTransactions(), new LedgerStaged(c.ledgerAfter(), hashes));
    }

    @Override
    public Optional<Staged> processProposal(BlockContext block, List<byte[]> transactions) {
        List<VerifiedTransaction> txs = new ArrayList<>(transactions.size());
        List<Hash32> hashes = new ArrayList<>(transactions.size());
        for (byte[] bytes : transactions) {
            Hash32 h = Hash32.sha256(bytes);
            Optional<VerifiedTransaction> known = mempool.get(h);
            if (known.isPresent()) {
                txs.add(known.get());
            } else {
                Transaction tx;
                try {
                    tx = TransactionCodec.decode(bytes);
                } catch (DecodeException e) {
                    return Optional.empty();
                }
                Optional<VerifiedTransaction> verified = VerifiedTransaction.verify(tx, mempool.keyCache());
                if (verified.isEmpty()) {
                    return Optional.empty();
                }
                txs.add(verified.get());
            }
            hashes.add(h);
        }
        Ledger.BlockResult r = ledger.applyBlock(txs, block.proposer());
        if (!(r instanceof Ledger.BlockResult.Valid valid)) {
            return Optional.empty();
        }
        return Optional.of(new LedgerStaged(valid.ledger(), hashes));
    }

    @Override
    public FinalizeResult finalizeBlock(Staged staged) {
        if (!(staged instanceof LedgerStaged s)) {
            throw new IllegalArgumentException("not a staged state of the transfer application: " + staged);
        }
        ledger = s.ledger();
        mempool.removeCommitted(s.transactionHashes(), ledger);
        return new FinalizeResult(ledger.stateRoot(), List.of(), List.of());
    }

    @Override
    public void checkInvariants() {
        checkSupplyConserved(genesisSupplyBaseUnits, ledger);
    }

    /**
     * {@code SupplyConservedInv}: the committed ledger's total supply is the genesis supply. (The ledger itself
     * checks, on every new version, that its balances plus fee pool sum to that total.) Static so that a test can
     * show it fires on a ledger whose supply differs.
     */
    public static void checkSupplyConserved(long genesisSupplyBaseUnits, Ledger ledger) {
        Invariant.check(ledger.totalSupplyBaseUnits() == genesisSupplyBaseUnits, "SupplyConservedInv",
                () -> "total supply changed from " + genesisSupplyBaseUnits + " to " + ledger.totalSupplyBaseUnits());
    }

    @Override
    public QueryResult query(String path, byte[] data) {
        if (path.equals("supply") && data.length == 0) {
            return new QueryResult(true, new Writer().i64(ledger.totalSupplyBaseUnits())
                    .i64(ledger.feePoolBaseUnits()).toBytes(), "total supply " + ledger.totalSupplyBaseUnits()
                    + ", fee pool " + ledger.feePoolBaseUnits());
        }
        if (path.equals("account") && data.length == PublicKey.SIZE_BYTES) {
            PublicKey key = PublicKey.of(data);
            Account a = ledger.account(key);
            boolean found = a.balanceBaseUnits() != 0 || a.nonce() != 0;
            return new QueryResult(found, new Writer().i64(a.balanceBaseUnits()).i64(a.nonce()).toBytes(),
                    "account " + key.shortId() + ": balance " + a.balanceBaseUnits() + ", nonce " + a.nonce());
        }
        return new QueryResult(false, new byte[0], "unknown query " + path + " with " + data.length + " bytes");
    }

    @Override
    public Snapshot snapshot() {
        return new LedgerSnapshot(ledger);
    }

    @Override
    public String toString() {
        return "TransferApplication[" + ledger + ", pending " + mempool.size() + "]";
    }
}
