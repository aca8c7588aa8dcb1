package dev.oasisj.core.ledger;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.util.List;
import java.util.function.BiConsumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The application state of the consensus layer: accounts (balance, nonce), the fixed total supply and the fee pool.
 * Immutable: {@link #apply} returns a new ledger and leaves this one untouched, so a rejected transaction trivially
 * leaves the state and its root unchanged, and a block can be tried on a copy at no cost.
 *
 * <p><b>Fees</b> go into {@link #feePoolBaseUnits()} when a transaction applies; {@link #payFeesTo} moves the whole
 * pool to the block proposer's account at the end of each block (the node calls it after the block's transactions).
 * So between blocks the pool is zero, and fees are never created or destroyed.
 *
 * <p><b>Supply</b>: no operation mints or burns. {@code SupplyConservedInv} [LEDGER-SUPPLY.1]: the sum of all balances
 * plus the fee pool equals the genesis total supply; it is checked after every apply and every fee payout (the sum is
 * kept by the account tree itself, bottom-up, not by the transfer arithmetic).
 *
 * <p><b>State root</b> ({@link #stateRoot()}): {@code SHA-256} over the length-prefixed parts
 * {@code "oasisj/ledger/v1"}, the chain id, the account tree root, the total supply and the fee pool (8 bytes each,
 * big-endian), as computed by {@link Hash32#sha256Parts}. The account tree root is defined in {@link AccountTree}: a
 * Merkle treap whose shape depends only on the set of keys, so the root is independent of insertion order.
 *
 * <p><b>Rules of a transfer</b>, checked in this order (the first failing one is the reason): chain id
 * ({@code WRONG_CHAIN}), amount ({@code ZERO_AMOUNT}, {@code NEGATIVE_VALUE}), fee ({@code NEGATIVE_VALUE}),
 * {@code SELF_TRANSFER}, signature ({@code BAD_SIGNATURE}), nonce equal to the sender's nonce ({@code BAD_NONCE}),
 * {@code OVERFLOW} of amount + fee, {@code INSUFFICIENT_BALANCE}. An applied transfer debits amount + fee from the
 * sender, increments its nonce, credits the amount to the recipient (creating the account) and the fee to the pool.
 * Accounts are never deleted: an emptied account keeps its nonce so that its old transactions cannot be replayed.
 */
public final class Ledger {
    public static final String ROOT_DOMAIN = "oasisj/ledger/v1";

    private final String chainId;
    private final AccountTree accounts;
    private final long totalSupplyBaseUnits;
    private final long feePoolBaseUnits;
    /** {@link #stateRoot()}, computed on first use (the ledger is immutable; the node asks for it after every input). */
    private @org.checkerframework.checker.nullness.qual.MonotonicNonNull Hash32 root;

    private Ledger(String chainId, AccountTree accounts, long totalSupplyBaseUnits, long feePoolBaseUnits) {
        this.chainId = chainId;
        this.accounts = accounts;
        this.totalSupplyBaseUnits = totalSupplyBaseUnits;
        this.feePoolBaseUnits = feePoolBaseUnits;
        long sum = accounts.totalBalance();
        Invariant.check(feePoolBaseUnits >= 0 && sum + feePoolBaseUnits == totalSupplyBaseUnits,
                "SupplyConservedInv", () -> "[LEDGER-SUPPLY.1] balances " + sum + " + fee pool " + feePoolBaseUnits
                        + " != total supply " + totalSupplyBaseUnits);
    }

    /** The ledger at height 0: the genesis accounts, an empty fee pool. */
    public static Ledger fromGenesis(Genesis genesis) {
        AccountTree tree = AccountTree.EMPTY;
        for (Genesis.InitialAccount a : genesis.accounts()) {
            tree = tree.put(a.publicKey(), new Account(a.balanceBaseUnits(), 0));
        }
        return new Ledger(genesis.chainId(), tree, genesis.totalSupplyBaseUnits(), 0);
    }

    /**
     * A ledger rebuilt from its parts (a checkpoint): every account, the total supply and the fee pool. The supply
     * invariant is checked as for every ledger; the caller compares {@link #stateRoot()} with the committed root.
     */
    public static Ledger restore(String chainId, java.util.List<java.util.Map.Entry<PublicKey, Account>> accounts,
            long totalSupplyBaseUnits, long feePoolBaseUnits) {
        AccountTree tree = AccountTree.EMPTY;
        for (java.util.Map.Entry<PublicKey, Account> e : accounts) {
            tree = tree.put(e.getKey(), e.getValue());
        }
        return new Ledger(chainId, tree, totalSupplyBaseUnits, feePoolBaseUnits);
    }

    /** The outcome of {@link #apply}: a new ledger, or a reason and this ledger unchanged. */
    public sealed interface Result {
        /** The ledger after the outcome: the new one if applied, the unchanged one if rejected. */
        Ledger ledger();
    }

    public record Applied(Ledger ledger) implements Result {}

    public record Rejected(Ledger ledger, RejectReason reason, String detail) implements Result {}

    /** Checks the signature, then applies as {@link #apply(VerifiedTransaction)}. */
    public Result apply(Transaction tx) {
        @Nullable RejectReason stateless = statelessCheck(chainId, tx);
        if (stateless != null) {
            return reject(stateless, tx);
        }
        var verified = VerifiedTransaction.verify(tx);
        if (verified.isEmpty()) {
            return reject(RejectReason.BAD_SIGNATURE, tx);
        }
        return apply(verified.get());
    }

    /** Applies a transaction whose signature is known to be valid; every other rule is checked here. */
    public Result apply(VerifiedTransaction vtx) {
        Transaction tx = vtx.transaction();
        Account from = accounts.get(tx.sender());
        @Nullable Rejected stateful = checkAgainst(tx, from);
        if (stateful != null) {
            return stateful;
        }
        long debit = tx.amountBaseUnits() + tx.feeBaseUnits();
        AccountTree next = accounts.put(tx.sender(), new Account(from.balanceBaseUnits() - debit, from.nonce() + 1));
        Account to = next.get(tx.recipient());
        // Cannot overflow: every balance is at most the total supply minus the debited amount.
        next = next.put(tx.recipient(), new Account(to.balanceBaseUnits() + tx.amountBaseUnits(), to.nonce()));
        return new Applied(new Ledger(chainId, next, totalSupplyBaseUnits, feePoolBaseUnits + tx.feeBaseUnits()));
    }

    /** The first rule of those that need no account state (chain id, amounts, self-transfer) that {@code tx} breaks. */
    @Nullable RejectReason statelessReason(Transaction tx) {
        return statelessCheck(chainId, tx);
    }

    private static @Nullable RejectReason statelessCheck(String chainId, Transaction tx) {
        if (!tx.chainId().equals(chainId)) {
            return RejectReason.WRONG_CHAIN;
        }
        if (tx.amountBaseUnits() == 0) {
            return RejectReason.ZERO_AMOUNT;
        }
        if (tx.amountBaseUnits() < 0 || tx.feeBaseUnits() < 0) {
            return RejectReason.NEGATIVE_VALUE;
        }
        if (tx.sender().equals(tx.recipient())) {
            return RejectReason.SELF_TRANSFER;
        }
        return null;
    }

    /**
     * Every rule except the signature, judged against {@code sender} standing for the sender's account: the mempool
     * passes the account as it will be after the sender's pending transactions. Null when the transaction passes.
     */
    @Nullable Rejected checkAgainst(Transaction tx, Account sender) {
        @Nullable RejectReason stateless = statelessCheck(chainId, tx);
        if (stateless != null) {
            return reject(stateless, tx);
        }
        if (tx.nonce() != sender.nonce()) {
            return new Rejected(this, RejectReason.BAD_NONCE,
                    "nonce " + tx.nonce() + " but the sender's next nonce is " + sender.nonce());
        }
        long debit;
        try {
            debit = Math.addExact(tx.amountBaseUnits(), tx.feeBaseUnits());
        } catch (ArithmeticException e) {
            return reject(RejectReason.OVERFLOW, tx);
        }
        if (sender.balanceBaseUnits() < debit) {
            return new Rejected(this, RejectReason.INSUFFICIENT_BALANCE,
                    "balance " + sender.balanceBaseUnits() + " < amount + fee " + debit);
        }
        return null;
    }

    private Rejected reject(RejectReason reason, Transaction tx) {
        String detail = switch (reason) {
            case WRONG_CHAIN -> "chain id '" + tx.chainId() + "' but this chain is '" + chainId + "'";
            case ZERO_AMOUNT -> "amount is zero";
            case NEGATIVE_VALUE -> "amount " + tx.amountBaseUnits() + ", fee " + tx.feeBaseUnits();
            case SELF_TRANSFER -> "sender and recipient are both " + tx.sender().shortId();
            case BAD_SIGNATURE -> "signature does not verify for sender " + tx.sender().shortId();
            case OVERFLOW -> "amount " + tx.amountBaseUnits() + " + fee " + tx.feeBaseUnits() + " overflows";
            default -> reason.name();
        };
        return new Rejected(this, reason, detail);
    }

    /** Moves the whole fee pool to {@code proposer}'s account (end of a block). Conserves supply. */
    public Ledger payFeesTo(PublicKey proposer) {
        if (feePoolBaseUnits == 0) {
            return this;
        }
        Account a = accounts.get(proposer);
        return new Ledger(chainId, accounts.put(proposer, new Account(a.balanceBaseUnits() + feePoolBaseUnits,
                a.nonce())), totalSupplyBaseUnits, 0);
    }

    /** Applies a block's worth of verified transactions in order, then pays the fees to the proposer. */
    public BlockResult applyBlock(List<VerifiedTransaction> txs, PublicKey proposer) {
        Ledger l = this;
        for (int i = 0; i < txs.size(); i++) {
            Result r = l.apply(txs.get(i));
            if (r instanceof Rejected rej) {
                return new BlockResult.Invalid(i, rej.reason(), rej.detail());
            }
            l = r.ledger();
        }
        return new BlockResult.Valid(l.payFeesTo(proposer));
    }

    /** Outcome of {@link #applyBlock}: the ledger after the block, or the first transaction that failed. */
    public sealed interface BlockResult {
        record Valid(Ledger ledger) implements BlockResult {}

        record Invalid(int transactionIndex, RejectReason reason, String detail) implements BlockResult {}
    }

    public String chainId() {
        return chainId;
    }

    public Account account(PublicKey key) {
        return accounts.get(key);
    }

    public long balance(PublicKey key) {
        return accounts.get(key).balanceBaseUnits();
    }

    /** The nonce the sender's next transaction must carry. */
    public long nextNonce(PublicKey key) {
        return accounts.get(key).nonce();
    }

    public int accountCount() {
        return accounts.size();
    }

    public long totalSupplyBaseUnits() {
        return totalSupplyBaseUnits;
    }

    public long feePoolBaseUnits() {
        return feePoolBaseUnits;
    }

    /** Visits every account in ascending key order. */
    public void forEachAccount(BiConsumer<PublicKey, Account> visitor) {
        accounts.forEach(visitor);
    }

    /** The state root defined in the class comment. Cached per node of the tree, so repeated calls are cheap. */
    public Hash32 stateRoot() {
        Hash32 r = root;
        if (r == null) {
            r = computeStateRoot();
            root = r;
        }
        return r;
    }

    private Hash32 computeStateRoot() {
        return Hash32.sha256Parts(ROOT_DOMAIN.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                chainId.getBytes(java.nio.charset.StandardCharsets.UTF_8), accounts.rootHash().toBytes(),
                new Writer().i64(totalSupplyBaseUnits).toBytes(), new Writer().i64(feePoolBaseUnits).toBytes());
    }

    /** Depth of the account tree (for the balance test: O(log n) expected). */
    int treeDepth() {
        return accounts.depth();
    }

    @Override
    public String toString() {
        return "Ledger[" + chainId + " accounts=" + accountCount() + " supply=" + totalSupplyBaseUnits + " feePool="
                + feePoolBaseUnits + "]";
    }
}
