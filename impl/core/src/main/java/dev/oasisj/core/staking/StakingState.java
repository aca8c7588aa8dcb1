package dev.oasisj.core.staking;

import dev.oasisj.core.Invariant;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The staking service's state and its pure operations (the "Staking" part of issue 9's committee-services
 * semantics, shared with {@code spec/committee/CommitteeSelection.tla}; the decisions they leave open are in the
 * package comment). Immutable and persistent, like the ledger: every operation
 * returns a new state and leaves this one untouched, so a rejected operation trivially leaves the state and its root
 * unchanged, and old versions stay valid at O(log n) cost each.
 *
 * <p><b>Tables</b>, each a {@link MerkleTreap} (a Merkle treap whose shape depends only on its entries):
 * <ul>
 *   <li>accounts: account key (32 bytes) to general balance and nonce (8 + 8 bytes); never deleted, so an emptied
 *       account keeps its nonce;</li>
 *   <li>escrow pools: entity key (32 bytes) to active balance and total shares (8 + 8 bytes); never deleted;</li>
 *   <li>delegations: entity key then delegator key (64 bytes) to shares (8 bytes); present exactly when the shares are
 *       at least 1;</li>
 *   <li>debonding: end epoch (8 bytes), delegator key, entity key (72 bytes) to amount (8 bytes, at least 1);
 *       ordered by end epoch first, so the matured entries are a prefix of the table.</li>
 * </ul>
 * Integers are 8 bytes big-endian and never negative, so every table's key order is the unsigned byte order of its
 * key encodings.
 *
 * <p><b>State root</b> ({@link #stateRoot()}): {@link Hash32#sha256Parts} over {@value #ROOT_DOMAIN}, the
 * debonding delay, the reward per epoch, the current epoch, the total supply, the common pool (8 bytes each,
 * big-endian), then the roots of the accounts, escrow pools, delegations and debonding tables (32 bytes each, as
 * {@link MerkleTreap} defines).
 *
 * <p><b>Invariants</b>, checked when every state is built, so after every operation (always on, {@link Invariant}):
 * <ul>
 *   <li>{@code StakeSupplyInv} [STAKE-SUPPLY]: general balances + active pool balances + debonding amounts + common
 *       pool = the genesis total supply. The three sums are kept by the tables themselves, bottom-up, not by the
 *       operations' arithmetic.</li>
 *   <li>{@code StakeDebondInv} [STAKE-DEBOND]: every debonding entry ends after the current epoch. Enforced by
 *       construction: a reclaim in epoch E ends at {@code E + delay > E}, and {@link #transitionEpoch} releases every
 *       entry with end epoch at most the new epoch; the debonded base units reach a general balance nowhere else.</li>
 * </ul>
 *
 * <p><b>Arithmetic bounds.</b> Every balance, pool balance, debonding amount and the common pool is at most the total
 * supply, itself at most 2^63-1 (checked at genesis), so credits never overflow. Shares are at most 2^63-1 per pool:
 * the share price {@code amount * totalShares / balance} is computed exactly with {@link BigInteger}, and an escrow
 * that would pass the bound is refused ({@code SHARES_OVERFLOW}); a reclaim's amount
 * {@code shares * balance / totalShares} is at most the pool's balance because {@code shares <= totalShares}.
 * Epochs stay below {@link #MAX_EPOCH}, so an end epoch {@code epoch + delay} never overflows.
 */
public final class StakingState {
    public static final String ROOT_DOMAIN = "oasisj/staking/v1";

    /** The last epoch a state may be in: 2^62, so that {@code epoch + debondingDelayEpochs} fits a long. */
    public static final long MAX_EPOCH = 1L << 62;

    private static final PublicKey LOWEST_KEY = PublicKey.of(new byte[PublicKey.SIZE_BYTES]);

    /** A delegations-table key: entity first, so one entity's delegations are adjacent. */
    record DelegationKey(PublicKey entity, PublicKey delegator) implements Comparable<DelegationKey> {
        @Override
        public int compareTo(DelegationKey o) {
            int c = entity.compareTo(o.entity);
            return c != 0 ? c : delegator.compareTo(o.delegator);
        }
    }

    /** A debonding-table key: end epoch first, so the matured entries come first. */
    record DebondingKey(long endEpoch, PublicKey delegator, PublicKey entity) implements Comparable<DebondingKey> {
        @Override
        public int compareTo(DebondingKey o) {
            int c = Long.compare(endEpoch, o.endEpoch);
            if (c == 0) {
                c = delegator.compareTo(o.delegator);
            }
            return c != 0 ? c : entity.compareTo(o.entity);
        }
    }

    static final MerkleTreap.Layout<PublicKey, StakingAccount> ACCOUNTS_LAYOUT = new MerkleTreap.Layout<>() {
        @Override
        public byte[] keyBytes(PublicKey key) {
            return key.toBytes();
        }

        @Override
        public byte[] valueBytes(StakingAccount a) {
            return new Writer(16).i64(a.generalBalanceBaseUnits()).i64(a.nonce()).toBytes();
        }

        @Override
        public long weight(StakingAccount a) {
            return a.generalBalanceBaseUnits();
        }
    };

    static final MerkleTreap.Layout<PublicKey, EscrowPool> POOLS_LAYOUT = new MerkleTreap.Layout<>() {
        @Override
        public byte[] keyBytes(PublicKey key) {
            return key.toBytes();
        }

        @Override
        public byte[] valueBytes(EscrowPool p) {
            return new Writer(16).i64(p.activeBalanceBaseUnits()).i64(p.totalShares()).toBytes();
        }

        @Override
        public long weight(EscrowPool p) {
            return p.activeBalanceBaseUnits();
        }
    };

    static final MerkleTreap.Layout<DelegationKey, Long> DELEGATIONS_LAYOUT = new MerkleTreap.Layout<>() {
        @Override
        public byte[] keyBytes(DelegationKey key) {
            return new Writer(64).fixed(key.entity().toBytes()).fixed(key.delegator().toBytes()).toBytes();
        }

        @Override
        public byte[] valueBytes(Long shares) {
            return new Writer(8).i64(shares).toBytes();
        }

        /** Shares are not base units: the total over all pools is neither meaningful nor bounded by a long. */
        @Override
        public long weight(Long shares) {
            return 0;
        }
    };

    static final MerkleTreap.Layout<DebondingKey, Long> DEBONDING_LAYOUT = new MerkleTreap.Layout<>() {
        @Override
        public byte[] keyBytes(DebondingKey key) {
            return new Writer(72).i64(key.endEpoch()).fixed(key.delegator().toBytes()).fixed(key.entity().toBytes())
                    .toBytes();
        }

        @Override
        public byte[] valueBytes(Long amount) {
            return new Writer(8).i64(amount).toBytes();
        }

        @Override
        public long weight(Long amount) {
            return amount;
        }
    };

    private final StakingParameters parameters;
    private final long epoch;
    private final long totalSupplyBaseUnits;
    private final long commonPoolBaseUnits;
    private final MerkleTreap<PublicKey, StakingAccount> accounts;
    private final MerkleTreap<PublicKey, EscrowPool> pools;
    private final MerkleTreap<DelegationKey, Long> delegations;
    private final MerkleTreap<DebondingKey, Long> debonding;

    private StakingState(StakingParameters parameters, long epoch, long totalSupplyBaseUnits, long commonPoolBaseUnits,
            MerkleTreap<PublicKey, StakingAccount> accounts, MerkleTreap<PublicKey, EscrowPool> pools,
            MerkleTreap<DelegationKey, Long> delegations, MerkleTreap<DebondingKey, Long> debonding) {
        this.parameters = parameters;
        this.epoch = epoch;
        this.totalSupplyBaseUnits = totalSupplyBaseUnits;
        this.commonPoolBaseUnits = commonPoolBaseUnits;
        this.accounts = accounts;
        this.pools = pools;
        this.delegations = delegations;
        this.debonding = debonding;
        checkInvariants();
    }

    private void checkInvariants() {
        long general = accounts.totalWeight();
        long escrowed = pools.totalWeight();
        long debonded = debonding.totalWeight();
        // exact: every state is checked (each transaction builds two), so long arithmetic, an overflow being a violation
        long sum;
        try {
            sum = Math.addExact(Math.addExact(Math.addExact(general, escrowed), debonded), commonPoolBaseUnits);
        } catch (ArithmeticException overflow) {
            sum = -1; // the parts are non-negative and the supply is a long: an overflowing sum is not the supply
        }
        long total = sum;
        Invariant.check(commonPoolBaseUnits >= 0 && total == totalSupplyBaseUnits,
                "StakeSupplyInv", () -> "[STAKE-SUPPLY] general " + general + " + escrow " + escrowed
                        + " + debonding " + debonded + " + common pool " + commonPoolBaseUnits + " = "
                        + (total < 0 ? "more than a long holds" : Long.toString(total))
                        + " != total supply " + totalSupplyBaseUnits);
        @Nullable DebondingEntry first = debonding.size() == 0 ? null : firstDebonding();
        Invariant.check(first == null || first.endEpoch() > epoch, "StakeDebondInv",
                () -> "[STAKE-DEBOND] entry " + first + " has matured but is still debonding in epoch " + epoch);
    }

    private @Nullable DebondingEntry firstDebonding() {
        List<DebondingEntry> first = new ArrayList<>(1);
        debonding.forEachFrom(null, (k, amount) -> {
            first.add(new DebondingEntry(k.delegator(), k.entity(), amount, k.endEpoch()));
            return false;
        });
        return first.isEmpty() ? null : first.get(0);
    }

    /**
     * The state at genesis: the given general balances (all nonces 0), the common pool, no escrow and no debonding,
     * in {@code initialEpoch}; the total supply is their sum. Genesis escrows are built by applying
     * {@link #addEscrow} to this state (no nonce or fee is involved), so they follow the same share rule.
     *
     * @throws IllegalArgumentException when a balance or the common pool is negative, the epoch is outside
     *     {@code 0..}{@link #MAX_EPOCH}, or the total exceeds 2^63-1
     */
    public static StakingState genesis(StakingParameters parameters, long initialEpoch,
            Map<PublicKey, Long> generalBalances, long commonPoolBaseUnits) {
        if (initialEpoch < 0 || initialEpoch > MAX_EPOCH) {
            throw new IllegalArgumentException("staking genesis: epoch " + initialEpoch + " outside 0.." + MAX_EPOCH);
        }
        if (commonPoolBaseUnits < 0) {
            throw new IllegalArgumentException("staking genesis: negative common pool " + commonPoolBaseUnits);
        }
        long total = commonPoolBaseUnits;
        MerkleTreap<PublicKey, StakingAccount> accounts = MerkleTreap.empty(ACCOUNTS_LAYOUT);
        for (Map.Entry<PublicKey, Long> e : new TreeMap<>(generalBalances).entrySet()) {
            long balance = e.getValue();
            if (balance < 0) {
                throw new IllegalArgumentException("staking genesis: negative balance " + balance + " of "
                        + e.getKey().shortId());
            }
            try {
                total = Math.addExact(total, balance);
            } catch (ArithmeticException overflow) {
                throw new IllegalArgumentException("staking genesis: the total supply exceeds 2^63-1", overflow);
            }
            accounts = accounts.put(e.getKey(), new StakingAccount(balance, 0));
        }
        return new StakingState(parameters, initialEpoch, total, commonPoolBaseUnits, accounts,
                MerkleTreap.empty(POOLS_LAYOUT), MerkleTreap.empty(DELEGATIONS_LAYOUT),
                MerkleTreap.empty(DEBONDING_LAYOUT));
    }

    private StakingState with(long newCommonPool, MerkleTreap<PublicKey, StakingAccount> newAccounts,
            MerkleTreap<PublicKey, EscrowPool> newPools, MerkleTreap<DelegationKey, Long> newDelegations,
            MerkleTreap<DebondingKey, Long> newDebonding) {
        return new StakingState(parameters, epoch, totalSupplyBaseUnits, newCommonPool, newAccounts, newPools,
                newDelegations, newDebonding);
    }

    private StakingResult.Rejected reject(StakingRejectReason reason, String detail) {
        return new StakingResult.Rejected(this, reason, detail);
    }

    // ------------------------------------------------------------------------------------------------ transactions

    /**
     * The envelope's part of every staking transaction, applied before its method: the nonce must be the signer's
     * next nonce ({@code BAD_NONCE}) and the fee at most its general balance ({@code INSUFFICIENT_BALANCE}). Then the
     * signer's nonce goes up by one and the fee moves into the common pool (creating the account if it had none, so a
     * zero-fee transaction from a new key still uses up its nonce). The charge stands even when the method is then
     * refused: the caller keeps this result's state either way. A refused charge means the transaction is not
     * executed at all (no nonce used, nothing paid): the caller should not include it in a block.
     *
     * @throws IllegalArgumentException when the nonce or fee is negative (the envelope excludes both)
     */
    public StakingResult chargeTransaction(PublicKey signer, long nonce, long feeBaseUnits) {
        if (nonce < 0 || feeBaseUnits < 0) {
            throw new IllegalArgumentException("negative nonce " + nonce + " or fee " + feeBaseUnits);
        }
        StakingAccount account = account(signer);
        if (nonce != account.nonce()) {
            return reject(StakingRejectReason.BAD_NONCE,
                    "nonce " + nonce + " but the signer's next nonce is " + account.nonce());
        }
        if (account.generalBalanceBaseUnits() < feeBaseUnits) {
            return reject(StakingRejectReason.INSUFFICIENT_BALANCE,
                    "general balance " + account.generalBalanceBaseUnits() + " < fee " + feeBaseUnits);
        }
        // nonce + 1 overflows only after 2^63-1 transactions of one signer: Math.addExact makes that an error.
        StakingAccount charged = new StakingAccount(account.generalBalanceBaseUnits() - feeBaseUnits,
                Math.addExact(account.nonce(), 1));
        return new StakingResult.Applied(with(commonPoolBaseUnits + feeBaseUnits, accounts.put(signer, charged), pools,
                delegations, debonding));
    }

    /**
     * {@code staking.Transfer} from {@code sender}: refused when the amount is zero ({@code ZERO_AMOUNT}), the
     * recipient is the sender ({@code SELF_TRANSFER}) or the amount exceeds the sender's general balance
     * ({@code INSUFFICIENT_BALANCE}), checked in that order. Otherwise the amount moves between the general balances,
     * creating the recipient's account. Nonce and fee are {@link #chargeTransaction}'s.
     */
    public StakingResult transfer(PublicKey sender, Transfer body) {
        long amount = body.amountBaseUnits();
        if (amount == 0) {
            return reject(StakingRejectReason.ZERO_AMOUNT, "transfer of zero base units");
        }
        if (sender.equals(body.to())) {
            return reject(StakingRejectReason.SELF_TRANSFER, "sender and recipient are both " + sender.shortId());
        }
        StakingAccount from = account(sender);
        if (from.generalBalanceBaseUnits() < amount) {
            return reject(StakingRejectReason.INSUFFICIENT_BALANCE,
                    "general balance " + from.generalBalanceBaseUnits() + " < amount " + amount);
        }
        var next = accounts.put(sender, new StakingAccount(from.generalBalanceBaseUnits() - amount, from.nonce()));
        StakingAccount to = accountIn(next, body.to());
        next = next.put(body.to(), new StakingAccount(to.generalBalanceBaseUnits() + amount, to.nonce()));
        return new StakingResult.Applied(with(commonPoolBaseUnits, next, pools, delegations, debonding));
    }

    /**
     * {@code staking.AddEscrow} by {@code delegator}: {@code amount} leaves the delegator's general balance for the
     * entity's active pool, and the delegator gets
     * {@code shares = totalShares == 0 ? amount : floor(amount * totalShares / balance)}. Refused, in this order, when
     * the amount is zero ({@code ZERO_AMOUNT}), exceeds the general balance ({@code INSUFFICIENT_BALANCE}), the pool
     * has shares but no balance ({@code WORTHLESS_POOL}: slashed out; {@code CommitteeSelection.tla}'s AddEscrow guard),
     * buys zero shares ({@code ZERO_SHARES}) or would push the pool's total shares past 2^63-1
     * ({@code SHARES_OVERFLOW}).
     */
    public StakingResult addEscrow(PublicKey delegator, AddEscrow body) {
        long amount = body.amountBaseUnits();
        if (amount == 0) {
            return reject(StakingRejectReason.ZERO_AMOUNT, "escrow of zero base units");
        }
        StakingAccount account = account(delegator);
        if (account.generalBalanceBaseUnits() < amount) {
            return reject(StakingRejectReason.INSUFFICIENT_BALANCE,
                    "general balance " + account.generalBalanceBaseUnits() + " < amount " + amount);
        }
        EscrowPool pool = escrowPool(body.entity());
        if (pool.totalShares() > 0 && pool.activeBalanceBaseUnits() == 0) {
            return reject(StakingRejectReason.WORTHLESS_POOL, "the pool of " + body.entity().shortId() + " has "
                    + pool.totalShares() + " shares and no balance (slashed out)");
        }
        BigInteger shares = pool.totalShares() == 0
                ? BigInteger.valueOf(amount)
                : BigInteger.valueOf(amount).multiply(BigInteger.valueOf(pool.totalShares()))
                        .divide(BigInteger.valueOf(pool.activeBalanceBaseUnits()));
        if (shares.signum() == 0) {
            return reject(StakingRejectReason.ZERO_SHARES, "amount " + amount + " buys no share of a pool of balance "
                    + pool.activeBalanceBaseUnits() + " and " + pool.totalShares() + " shares");
        }
        if (shares.compareTo(BigInteger.valueOf(Long.MAX_VALUE - pool.totalShares())) > 0) {
            return reject(StakingRejectReason.SHARES_OVERFLOW, "amount " + amount + " buys " + shares
                    + " shares; the pool's " + pool.totalShares() + " shares would pass 2^63-1");
        }
        long newShares = shares.longValueExact();
        DelegationKey key = new DelegationKey(body.entity(), delegator);
        long held = delegationShares(body.entity(), delegator);
        var nextAccounts = accounts.put(delegator,
                new StakingAccount(account.generalBalanceBaseUnits() - amount, account.nonce()));
        var nextPools = pools.put(body.entity(),
                new EscrowPool(pool.activeBalanceBaseUnits() + amount, pool.totalShares() + newShares));
        // held <= totalShares, and totalShares + newShares <= 2^63-1 was checked above
        var nextDelegations = delegations.put(key, held + newShares);
        return new StakingResult.Applied(with(commonPoolBaseUnits, nextAccounts, nextPools, nextDelegations,
                debonding));
    }

    /**
     * {@code staking.ReclaimEscrow} by {@code delegator}: the delegator gives back {@code shares} of the entity's
     * active pool, worth {@code amount = floor(shares * balance / totalShares)}; the pool loses both, and a debonding
     * entry of that amount ends at {@code epoch + debondingDelayEpochs} (added to the delegator's entry for the same
     * entity and end epoch if there is one). Refused, in this order, for zero shares ({@code ZERO_SHARES}), more shares
     * than the delegator holds ({@code INSUFFICIENT_SHARES}) and shares worth zero base units
     * ({@code ZERO_RECLAIM_AMOUNT}).
     */
    public StakingResult reclaimEscrow(PublicKey delegator, ReclaimEscrow body) {
        long shares = body.shares();
        if (shares == 0) {
            return reject(StakingRejectReason.ZERO_SHARES, "reclaim of zero shares");
        }
        long held = delegationShares(body.entity(), delegator);
        if (shares > held) {
            return reject(StakingRejectReason.INSUFFICIENT_SHARES,
                    "reclaim of " + shares + " shares but the delegator holds " + held);
        }
        EscrowPool pool = escrowPool(body.entity());
        // shares <= held <= totalShares, so totalShares >= 1 and the quotient is at most the pool's balance
        long amount = BigInteger.valueOf(shares).multiply(BigInteger.valueOf(pool.activeBalanceBaseUnits()))
                .divide(BigInteger.valueOf(pool.totalShares())).longValueExact();
        if (amount == 0) {
            return reject(StakingRejectReason.ZERO_RECLAIM_AMOUNT, shares + " shares of a pool of balance "
                    + pool.activeBalanceBaseUnits() + " and " + pool.totalShares() + " shares are worth nothing");
        }
        var nextPools = pools.put(body.entity(),
                new EscrowPool(pool.activeBalanceBaseUnits() - amount, pool.totalShares() - shares));
        DelegationKey key = new DelegationKey(body.entity(), delegator);
        var nextDelegations = held == shares ? delegations.remove(key) : delegations.put(key, held - shares);
        DebondingKey entry = new DebondingKey(epoch + parameters.debondingDelayEpochs(), delegator, body.entity());
        @Nullable Long pending = debonding.get(entry);
        var nextDebonding = debonding.put(entry, (pending == null ? 0 : pending) + amount);
        return new StakingResult.Applied(with(commonPoolBaseUnits, accounts, nextPools, nextDelegations,
                nextDebonding));
    }

    // ------------------------------------------------------------------------------------------------ epoch hooks

    /**
     * The staking part of the transition from the current epoch E to {@code nextEpoch} = E + 1, in the semantics'
     * order:
     * <ol>
     *   <li>rewards for E: each entity of {@code validatorEntities} (the entities that had a node in the validator set
     *       of E; duplicates ignored), in ascending key order, gets {@code rewardPerEpochBaseUnits} from the common
     *       pool added to its active pool balance (not to its shares, so its delegators gain pro rata; a pool is
     *       created if the entity had none), while the common pool holds at least that much; the others are
     *       reported unpaid. A reward of zero pays and creates nothing;</li>
     *   <li>release: every debonding entry with end epoch {@code <= nextEpoch} moves to its delegator's general balance
     *       ([STAKE-DEBOND]).</li>
     * </ol>
     *
     * @throws IllegalArgumentException when {@code nextEpoch} is not the current epoch plus one, or exceeds
     *     {@link #MAX_EPOCH} (epochs advance one at a time; anything else is the caller's bug)
     */
    public EpochTransition transitionEpoch(long nextEpoch, Collection<PublicKey> validatorEntities) {
        if (epoch == MAX_EPOCH || nextEpoch != epoch + 1) {
            throw new IllegalArgumentException("epoch transition from " + epoch + " to " + nextEpoch
                    + ": epochs advance by one, up to " + MAX_EPOCH);
        }
        long reward = parameters.rewardPerEpochBaseUnits();
        long commonPool = commonPoolBaseUnits;
        var nextPools = pools;
        List<PublicKey> rewarded = new ArrayList<>();
        List<PublicKey> unpaid = new ArrayList<>();
        if (reward > 0) {
            for (PublicKey entity : new TreeSet<>(validatorEntities)) {
                if (commonPool < reward) {
                    unpaid.add(entity);
                    continue;
                }
                EscrowPool pool = poolIn(nextPools, entity);
                nextPools = nextPools.put(entity,
                        new EscrowPool(pool.activeBalanceBaseUnits() + reward, pool.totalShares()));
                commonPool -= reward;
                rewarded.add(entity);
            }
        }
        List<DebondingEntry> released = new ArrayList<>();
        debonding.forEachFrom(null, (k, amount) -> {
            if (k.endEpoch() > nextEpoch) {
                return false;
            }
            released.add(new DebondingEntry(k.delegator(), k.entity(), amount, k.endEpoch()));
            return true;
        });
        var nextAccounts = accounts;
        var nextDebonding = debonding;
        for (DebondingEntry e : released) {
            nextDebonding = nextDebonding.remove(new DebondingKey(e.endEpoch(), e.delegator(), e.entity()));
            StakingAccount a = accountIn(nextAccounts, e.delegator());
            nextAccounts = nextAccounts.put(e.delegator(),
                    new StakingAccount(a.generalBalanceBaseUnits() + e.amountBaseUnits(), a.nonce()));
        }
        StakingState next = new StakingState(parameters, nextEpoch, totalSupplyBaseUnits, commonPool, nextAccounts,
                nextPools, delegations, nextDebonding);
        return new EpochTransition(next, rewarded, unpaid, released);
    }

    /**
     * Slashes {@code entity}: its active pool loses {@code min(amountBaseUnits, pool balance)} to the common pool; the
     * shares are unchanged, so every delegator loses pro rata. Debonding entries are not slashed (the semantics'
     * simplification). An entity without a pool, or with an empty one, loses nothing and the state is unchanged.
     *
     * @throws IllegalArgumentException when {@code amountBaseUnits} is negative
     */
    public SlashResult slash(PublicKey entity, long amountBaseUnits) {
        if (amountBaseUnits < 0) {
            throw new IllegalArgumentException("slash of a negative amount " + amountBaseUnits);
        }
        EscrowPool pool = escrowPool(entity);
        long taken = Math.min(amountBaseUnits, pool.activeBalanceBaseUnits());
        if (taken == 0) {
            return new SlashResult(this, 0);
        }
        var nextPools = pools.put(entity, new EscrowPool(pool.activeBalanceBaseUnits() - taken, pool.totalShares()));
        return new SlashResult(with(commonPoolBaseUnits + taken, accounts, nextPools, delegations, debonding), taken);
    }

    // ------------------------------------------------------------------------------------------------ queries

    private static StakingAccount accountIn(MerkleTreap<PublicKey, StakingAccount> table, PublicKey key) {
        @Nullable StakingAccount a = table.get(key);
        return a == null ? StakingAccount.EMPTY : a;
    }

    private static EscrowPool poolIn(MerkleTreap<PublicKey, EscrowPool> table, PublicKey key) {
        @Nullable EscrowPool p = table.get(key);
        return p == null ? EscrowPool.EMPTY : p;
    }

    public StakingParameters parameters() {
        return parameters;
    }

    /** The current epoch. */
    public long epoch() {
        return epoch;
    }

    /** The genesis total supply, constant ([STAKE-SUPPLY]). */
    public long totalSupplyBaseUnits() {
        return totalSupplyBaseUnits;
    }

    public long commonPoolBaseUnits() {
        return commonPoolBaseUnits;
    }

    /** The account's general balance and nonce; {@link StakingAccount#EMPTY} for a key never seen. */
    public StakingAccount account(PublicKey key) {
        return accountIn(accounts, key);
    }

    /** The entity's active escrow pool; {@link EscrowPool#EMPTY} for an entity nobody escrowed to or rewarded. */
    public EscrowPool escrowPool(PublicKey entity) {
        return poolIn(pools, entity);
    }

    /** The shares {@code delegator} holds in {@code entity}'s pool (0 when none). */
    public long delegationShares(PublicKey entity, PublicKey delegator) {
        @Nullable Long shares = delegations.get(new DelegationKey(entity, delegator));
        return shares == null ? 0 : shares;
    }

    /** The delegations to {@code entity}'s pool, by delegator ascending. O(log n + their number). */
    public List<Delegation> delegationsTo(PublicKey entity) {
        List<Delegation> out = new ArrayList<>();
        delegations.forEachFrom(new DelegationKey(entity, LOWEST_KEY), (k, shares) -> {
            if (!k.entity().equals(entity)) {
                return false;
            }
            out.add(new Delegation(k.entity(), k.delegator(), shares));
            return true;
        });
        return out;
    }

    /** Every debonding entry, by end epoch, then delegator, then entity. */
    public List<DebondingEntry> debondingEntries() {
        List<DebondingEntry> out = new ArrayList<>(debonding.size());
        debonding.forEach((k, amount) -> out.add(new DebondingEntry(k.delegator(), k.entity(), amount, k.endEpoch())));
        return out;
    }

    /** {@code delegator}'s debonding entries, in {@link #debondingEntries()} order. O(all debonding entries). */
    public List<DebondingEntry> debondingOf(PublicKey delegator) {
        List<DebondingEntry> out = new ArrayList<>();
        for (DebondingEntry e : debondingEntries()) {
            if (e.delegator().equals(delegator)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Every account, by key ascending (for snapshots). */
    public void forEachAccount(BiConsumer<PublicKey, StakingAccount> visitor) {
        accounts.forEach(visitor);
    }

    /** Every escrow pool, by entity key ascending (for snapshots). */
    public void forEachEscrowPool(BiConsumer<PublicKey, EscrowPool> visitor) {
        pools.forEach(visitor);
    }

    /** Every delegation, by entity then delegator ascending (for snapshots). */
    public List<Delegation> delegations() {
        List<Delegation> out = new ArrayList<>(delegations.size());
        delegations.forEach((k, shares) -> out.add(new Delegation(k.entity(), k.delegator(), shares)));
        return out;
    }

    /**
     * A state rebuilt from its contents (a snapshot), checked as every state is ({@code StakeSupplyInv},
     * {@code StakeDebondInv}) and further: every pool's total shares are the sum of its delegations' shares, every
     * delegation holds at least one share of an existing pool, every debonding amount is at least 1, and no two
     * entries share a key.
     *
     * @throws IllegalArgumentException naming the first problem; an {@code Invariant.ViolationException} from the
     *     invariants is rethrown as one too
     */
    public static StakingState restore(StakingParameters parameters, long epoch, long totalSupplyBaseUnits,
            long commonPoolBaseUnits, Map<PublicKey, StakingAccount> accountsIn, Map<PublicKey, EscrowPool> poolsIn,
            List<Delegation> delegationsIn, List<DebondingEntry> debondingIn) {
        if (epoch < 0 || epoch > MAX_EPOCH || commonPoolBaseUnits < 0 || totalSupplyBaseUnits < 0) {
            throw new IllegalArgumentException("staking restore: epoch, supply or common pool out of range");
        }
        MerkleTreap<PublicKey, StakingAccount> a = MerkleTreap.empty(ACCOUNTS_LAYOUT);
        for (Map.Entry<PublicKey, StakingAccount> e : new TreeMap<>(accountsIn).entrySet()) {
            a = a.put(e.getKey(), e.getValue());
        }
        MerkleTreap<PublicKey, EscrowPool> p = MerkleTreap.empty(POOLS_LAYOUT);
        TreeMap<PublicKey, Long> sharesByPool = new TreeMap<>();
        TreeMap<PublicKey, EscrowPool> poolsSorted = new TreeMap<>(poolsIn);
        for (Map.Entry<PublicKey, EscrowPool> e : poolsSorted.entrySet()) {
            p = p.put(e.getKey(), e.getValue());
            sharesByPool.put(e.getKey(), 0L);
        }
        MerkleTreap<DelegationKey, Long> d = MerkleTreap.empty(DELEGATIONS_LAYOUT);
        for (Delegation g : delegationsIn) {
            @Nullable Long sum = sharesByPool.get(g.entity());
            if (sum == null || g.shares() < 1) {
                throw new IllegalArgumentException("staking restore: delegation " + g + " of no pool or no shares");
            }
            DelegationKey key = new DelegationKey(g.entity(), g.delegator());
            if (d.get(key) != null) {
                throw new IllegalArgumentException("staking restore: delegation " + g + " listed twice");
            }
            d = d.put(key, g.shares());
            sharesByPool.put(g.entity(), Math.addExact(sum, g.shares()));
        }
        for (Map.Entry<PublicKey, Long> e : sharesByPool.entrySet()) {
            long total = poolIn(p, e.getKey()).totalShares();
            if (total != e.getValue()) {
                throw new IllegalArgumentException("staking restore: pool " + e.getKey().shortId() + " has "
                        + total + " shares but its delegations hold " + e.getValue());
            }
        }
        MerkleTreap<DebondingKey, Long> b = MerkleTreap.empty(DEBONDING_LAYOUT);
        for (DebondingEntry g : debondingIn) {
            DebondingKey key = new DebondingKey(g.endEpoch(), g.delegator(), g.entity());
            if (g.amountBaseUnits() < 1 || b.get(key) != null) {
                throw new IllegalArgumentException("staking restore: debonding entry " + g
                        + " empty or listed twice");
            }
            b = b.put(key, g.amountBaseUnits());
        }
        try {
            return new StakingState(parameters, epoch, totalSupplyBaseUnits, commonPoolBaseUnits, a, p, d, b);
        } catch (Invariant.ViolationException e) {
            throw new IllegalArgumentException("staking restore: " + e.getMessage(), e);
        }
    }

    /** Number of accounts, escrow pools, delegations and debonding entries (for tests and metrics). */
    public int accountCount() {
        return accounts.size();
    }

    public int escrowPoolCount() {
        return pools.size();
    }

    public int delegationCount() {
        return delegations.size();
    }

    /**
     * True when each of the four tables is the treap {@link MerkleTreap} defines (key order, priorities, the sums and
     * sizes its nodes keep). O(n): a representation check for tests and the conformance replay, not run per operation.
     */
    public boolean tablesWellFormed() {
        return accounts.isWellFormed() && pools.isWellFormed() && delegations.isWellFormed()
                && debonding.isWellFormed();
    }

    /** The state root defined in the class comment; hashes are cached per table node, so repeated calls are cheap. */
    public Hash32 stateRoot() {
        return Hash32.sha256Parts(ROOT_DOMAIN.getBytes(StandardCharsets.UTF_8),
                new Writer(8).i64(parameters.debondingDelayEpochs()).toBytes(),
                new Writer(8).i64(parameters.rewardPerEpochBaseUnits()).toBytes(),
                new Writer(8).i64(epoch).toBytes(), new Writer(8).i64(totalSupplyBaseUnits).toBytes(),
                new Writer(8).i64(commonPoolBaseUnits).toBytes(), accounts.rootHash().toBytes(),
                pools.rootHash().toBytes(), delegations.rootHash().toBytes(), debonding.rootHash().toBytes());
    }

    @Override
    public String toString() {
        return "StakingState[epoch=" + epoch + " accounts=" + accounts.size() + " pools=" + pools.size()
                + " delegations=" + delegations.size() + " debonding=" + debonding.size() + " commonPool="
                + commonPoolBaseUnits + " supply=" + totalSupplyBaseUnits + "]";
    }
}
