package dev.oasisj.core.staking;

import static dev.oasisj.core.staking.StakingFixtures.ALICE;
import static dev.oasisj.core.staking.StakingFixtures.BOB;
import static dev.oasisj.core.staking.StakingFixtures.CAROL;
import static dev.oasisj.core.staking.StakingFixtures.ENTITY;
import static dev.oasisj.core.staking.StakingFixtures.PARAMS;
import static dev.oasisj.core.staking.StakingFixtures.applied;
import static dev.oasisj.core.staking.StakingFixtures.escrow;
import static dev.oasisj.core.staking.StakingFixtures.genesis;
import static dev.oasisj.core.staking.StakingFixtures.key;
import static dev.oasisj.core.staking.StakingFixtures.reclaim;
import static dev.oasisj.core.staking.StakingFixtures.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The transactions of the staking core: nonce and fee, transfer, add and reclaim escrow, with exact numbers. */
class StakingStateTest {
    /** 2^63-1 = 7 * T: an escrow of 6 into a pool of balance 1 and T shares lands exactly on the share bound. */
    private static final long T = Long.MAX_VALUE / 7;

    @Test
    void genesis_totalSupplyIsBalancesPlusCommonPool_andTheRootIgnoresTheMapsOrder() {
        StakingState s = genesis();
        assertEquals(1_600, s.totalSupplyBaseUnits());
        assertEquals(100, s.commonPoolBaseUnits());
        assertEquals(new StakingAccount(1_000, 0), s.account(ALICE));
        assertEquals(StakingAccount.EMPTY, s.account(CAROL));
        assertEquals(0, s.epoch());
        assertEquals(2, s.accountCount());
        Map<PublicKey, Long> reversed = new LinkedHashMap<>();
        reversed.put(BOB, 500L);
        reversed.put(ALICE, 1_000L);
        Map<PublicKey, Long> sorted = new TreeMap<>(reversed);
        assertEquals(StakingState.genesis(PARAMS, 0, sorted, 100).stateRoot(),
                StakingState.genesis(PARAMS, 0, reversed, 100).stateRoot());
        // every part of the root matters: parameters, epoch, common pool, balances
        assertNotEquals(s.stateRoot(), StakingState.genesis(new StakingParameters(3, 10), 0, sorted, 100).stateRoot());
        assertNotEquals(s.stateRoot(), StakingState.genesis(new StakingParameters(2, 11), 0, sorted, 100).stateRoot());
        assertNotEquals(s.stateRoot(), StakingState.genesis(PARAMS, 1, sorted, 100).stateRoot());
        assertNotEquals(s.stateRoot(), StakingState.genesis(PARAMS, 0, sorted, 101).stateRoot());
        assertNotEquals(s.stateRoot(), StakingState.genesis(PARAMS, 0, Map.of(ALICE, 1_001L, BOB, 499L), 100)
                .stateRoot());
    }

    @Test
    void theRoot_isTheDocumentedHash_overParametersEpochSupplyCommonPoolAndTheTableRoots() {
        // no accounts and no escrow: every table root is 32 zero bytes, so the whole root is computed here
        StakingState s = StakingState.genesis(new StakingParameters(3, 7), 5, Map.of(), 100);
        byte[] empty = new byte[32];
        Hash32 expected = Hash32.sha256Parts("oasisj/staking/v1".getBytes(StandardCharsets.UTF_8),
                new Writer().i64(3).toBytes(), new Writer().i64(7).toBytes(), new Writer().i64(5).toBytes(),
                new Writer().i64(100).toBytes(), new Writer().i64(100).toBytes(), empty, empty, empty, empty);
        assertEquals(expected, s.stateRoot());
    }

    @Test
    void aBadGenesis_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StakingParameters(0, 10));
        assertThrows(IllegalArgumentException.class,
                () -> new StakingParameters(StakingParameters.MAX_DEBONDING_DELAY_EPOCHS + 1, 10));
        new StakingParameters(StakingParameters.MAX_DEBONDING_DELAY_EPOCHS, 0);
        assertThrows(IllegalArgumentException.class, () -> new StakingParameters(1, -1));
        assertThrows(IllegalArgumentException.class, () -> StakingState.genesis(PARAMS, 0, Map.of(ALICE, -1L), 0));
        assertThrows(IllegalArgumentException.class, () -> StakingState.genesis(PARAMS, 0, Map.of(), -1));
        assertThrows(IllegalArgumentException.class, () -> StakingState.genesis(PARAMS, -1, Map.of(), 0));
        assertThrows(IllegalArgumentException.class,
                () -> StakingState.genesis(PARAMS, StakingState.MAX_EPOCH + 1, Map.of(), 0));
        StakingState.genesis(PARAMS, StakingState.MAX_EPOCH, Map.of(), 0);
        assertThrows(IllegalArgumentException.class,
                () -> StakingState.genesis(PARAMS, 0, Map.of(ALICE, Long.MAX_VALUE), 1));
        assertEquals(Long.MAX_VALUE,
                StakingState.genesis(PARAMS, 0, Map.of(ALICE, Long.MAX_VALUE - 1), 1).totalSupplyBaseUnits());
    }

    @Test
    void chargeTransaction_takesTheFeeIntoTheCommonPool_andCountsTheNonce() {
        StakingState s = applied(genesis().chargeTransaction(ALICE, 0, 3));
        assertEquals(new StakingAccount(997, 1), s.account(ALICE));
        assertEquals(103, s.commonPoolBaseUnits());
        rejected(s, s.chargeTransaction(ALICE, 0, 0), StakingRejectReason.BAD_NONCE);
        rejected(s, s.chargeTransaction(ALICE, 2, 0), StakingRejectReason.BAD_NONCE);
        rejected(s, s.chargeTransaction(ALICE, 1, 998), StakingRejectReason.INSUFFICIENT_BALANCE);
        StakingState all = applied(s.chargeTransaction(ALICE, 1, 997));
        assertEquals(new StakingAccount(0, 2), all.account(ALICE));
        assertEquals(1_100, all.commonPoolBaseUnits());
        // a key never seen may send with nonce 0 and no fee: its account is created to keep the nonce
        StakingState carol = applied(s.chargeTransaction(CAROL, 0, 0));
        assertEquals(new StakingAccount(0, 1), carol.account(CAROL));
        assertEquals(3, carol.accountCount());
        assertThrows(IllegalArgumentException.class, () -> s.chargeTransaction(ALICE, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> s.chargeTransaction(ALICE, -1, 0));
    }

    @Test
    void transfer_movesGeneralBalance_andCreatesTheRecipient() {
        StakingState s = applied(genesis().transfer(ALICE, new Transfer(CAROL, 300)));
        assertEquals(new StakingAccount(700, 0), s.account(ALICE));
        assertEquals(new StakingAccount(300, 0), s.account(CAROL));
        StakingState whole = applied(s.transfer(ALICE, new Transfer(BOB, 700)));
        assertEquals(0, whole.account(ALICE).generalBalanceBaseUnits());
        assertEquals(1_200, whole.account(BOB).generalBalanceBaseUnits());
        assertEquals(1_600, whole.totalSupplyBaseUnits());
    }

    @Test
    void transfer_rejections_leaveTheStateAsItWas() {
        StakingState s = genesis();
        rejected(s, s.transfer(ALICE, new Transfer(BOB, 0)), StakingRejectReason.ZERO_AMOUNT);
        rejected(s, s.transfer(ALICE, new Transfer(ALICE, 5)), StakingRejectReason.SELF_TRANSFER);
        rejected(s, s.transfer(ALICE, new Transfer(BOB, 1_001)), StakingRejectReason.INSUFFICIENT_BALANCE);
        rejected(s, s.transfer(CAROL, new Transfer(BOB, 1)), StakingRejectReason.INSUFFICIENT_BALANCE);
        // order of the checks: a zero self-transfer is a zero amount first
        rejected(s, s.transfer(ALICE, new Transfer(ALICE, 0)), StakingRejectReason.ZERO_AMOUNT);
    }

    @Test
    void addEscrow_intoAnEmptyPool_buysOneSharePerBaseUnit_thenAtThePoolsPrice_roundingDown() {
        StakingState s = escrow(genesis(), ALICE, ENTITY, 100);
        assertEquals(new EscrowPool(100, 100), s.escrowPool(ENTITY));
        assertEquals(100, s.delegationShares(ENTITY, ALICE));
        assertEquals(900, s.account(ALICE).generalBalanceBaseUnits());
        s = s.slash(ENTITY, 30).state(); // pool 70 for 100 shares
        s = escrow(s, BOB, ENTITY, 50); // floor(50 * 100 / 70) = floor(71.43) = 71
        assertEquals(71, s.delegationShares(ENTITY, BOB));
        assertEquals(new EscrowPool(120, 171), s.escrowPool(ENTITY));
        assertEquals(450, s.account(BOB).generalBalanceBaseUnits());
        assertEquals(List.of(new Delegation(ENTITY, ALICE, 100), new Delegation(ENTITY, BOB, 71)),
                s.delegationsTo(ENTITY));
        assertEquals(List.of(), s.delegationsTo(key(9)));
        assertEquals(List.of(), s.delegationsTo(key(11)));
        // a second escrow adds to the same delegation: floor(30 * 171 / 120) = floor(42.75) = 42
        s = escrow(s, BOB, ENTITY, 30);
        assertEquals(113, s.delegationShares(ENTITY, BOB));
        assertEquals(new EscrowPool(150, 213), s.escrowPool(ENTITY));
    }

    @Test
    void addEscrow_intoAPoolWithSharesButNoBalance_isRefused_asTheSpecSays() {
        StakingState s = escrow(genesis(), ALICE, ENTITY, 100);
        s = s.slash(ENTITY, 100).state();
        assertEquals(new EscrowPool(0, 100), s.escrowPool(ENTITY));
        rejected(s, s.addEscrow(BOB, new AddEscrow(ENTITY, 10)), StakingRejectReason.WORTHLESS_POOL);
        // A pool with a balance but no shares (rewarded while empty) issues one share per base unit.
        StakingState rewardedEmpty = genesis().transitionEpoch(1, List.of(ENTITY)).state();
        long balance = rewardedEmpty.escrowPool(ENTITY).activeBalanceBaseUnits();
        StakingState first = escrow(rewardedEmpty, BOB, ENTITY, 10);
        assertEquals(10, first.delegationShares(ENTITY, BOB));
        assertEquals(new EscrowPool(balance + 10, 10), first.escrowPool(ENTITY));
    }

    @Test
    void addEscrow_rejections_leaveTheStateAsItWas() {
        StakingState s = genesis();
        rejected(s, s.addEscrow(ALICE, new AddEscrow(ENTITY, 0)), StakingRejectReason.ZERO_AMOUNT);
        rejected(s, s.addEscrow(ALICE, new AddEscrow(ENTITY, 1_001)), StakingRejectReason.INSUFFICIENT_BALANCE);
        StakingState all = escrow(s, ALICE, ENTITY, 1_000);
        assertEquals(0, all.account(ALICE).generalBalanceBaseUnits());
        // a pool worth more than its shares: 1 base unit buys floor(100 / 110) = 0 shares, 2 buy 1
        StakingState rewarded = escrow(s, ALICE, ENTITY, 100).transitionEpoch(1, List.of(ENTITY)).state();
        assertEquals(new EscrowPool(110, 100), rewarded.escrowPool(ENTITY));
        rejected(rewarded, rewarded.addEscrow(BOB, new AddEscrow(ENTITY, 1)), StakingRejectReason.ZERO_SHARES);
        assertEquals(1, escrow(rewarded, BOB, ENTITY, 2).delegationShares(ENTITY, BOB));
    }

    @Test
    void addEscrow_beyondTheShareBound_isRefused_exactlyAtItApplies() {
        PublicKey whale = key(20);
        StakingState s = StakingState.genesis(PARAMS, 0, Map.of(whale, T + 100), 0);
        s = escrow(s, whale, ENTITY, T);
        s = s.slash(ENTITY, T - 1).state();
        assertEquals(new EscrowPool(1, T), s.escrowPool(ENTITY));
        rejected(s, s.addEscrow(whale, new AddEscrow(ENTITY, 7)), StakingRejectReason.SHARES_OVERFLOW);
        StakingState full = escrow(s, whale, ENTITY, 6);
        assertEquals(new EscrowPool(7, Long.MAX_VALUE), full.escrowPool(ENTITY));
        assertEquals(Long.MAX_VALUE, full.delegationShares(ENTITY, whale));
        rejected(full, full.addEscrow(whale, new AddEscrow(ENTITY, 1)), StakingRejectReason.SHARES_OVERFLOW);
    }

    @Test
    void reclaimEscrow_takesTheSharesWorthRoundedDown_intoDebondingUntilEpochPlusDelay() {
        StakingState s = escrow(genesis(), ALICE, ENTITY, 100);
        s = s.slash(ENTITY, 30).state();
        s = escrow(s, BOB, ENTITY, 50); // pool 120 for 171 shares, Bob 71
        s = reclaim(s, BOB, ENTITY, 71); // floor(71 * 120 / 171) = floor(49.82) = 49
        assertEquals(new EscrowPool(71, 100), s.escrowPool(ENTITY));
        assertEquals(0, s.delegationShares(ENTITY, BOB));
        assertEquals(List.of(new Delegation(ENTITY, ALICE, 100)), s.delegationsTo(ENTITY));
        assertEquals(1, s.delegationCount());
        assertEquals(450, s.account(BOB).generalBalanceBaseUnits());
        assertEquals(List.of(new DebondingEntry(BOB, ENTITY, 49, 2)), s.debondingEntries());
        s = reclaim(s, ALICE, ENTITY, 40); // floor(40 * 71 / 100) = 28
        assertEquals(new EscrowPool(43, 60), s.escrowPool(ENTITY));
        assertEquals(60, s.delegationShares(ENTITY, ALICE));
        assertEquals(List.of(new DebondingEntry(ALICE, ENTITY, 28, 2), new DebondingEntry(BOB, ENTITY, 49, 2)),
                s.debondingEntries());
        assertEquals(List.of(new DebondingEntry(ALICE, ENTITY, 28, 2)), s.debondingOf(ALICE));
        // a second reclaim in the same epoch joins the same entry: floor(30 * 43 / 60) = 21
        s = reclaim(s, ALICE, ENTITY, 30);
        assertEquals(List.of(new DebondingEntry(ALICE, ENTITY, 49, 2)), s.debondingOf(ALICE));
        // the last shares take the whole rest of the pool
        s = reclaim(s, ALICE, ENTITY, 30);
        assertEquals(new EscrowPool(0, 0), s.escrowPool(ENTITY));
        assertEquals(List.of(new DebondingEntry(ALICE, ENTITY, 71, 2)), s.debondingOf(ALICE));
        assertEquals(130, s.commonPoolBaseUnits());
        assertEquals(900, s.account(ALICE).generalBalanceBaseUnits());
    }

    @Test
    void reclaimEscrow_endsAtTheCurrentEpochPlusTheDelay() {
        StakingState s = escrow(genesis(), ALICE, ENTITY, 100);
        s = s.transitionEpoch(1, List.of()).state().transitionEpoch(2, List.of()).state();
        s = reclaim(s, ALICE, ENTITY, 10);
        assertEquals(List.of(new DebondingEntry(ALICE, ENTITY, 10, 4)), s.debondingEntries());
    }

    @Test
    void reclaimEscrow_rejections_leaveTheStateAsItWas() {
        StakingState s = escrow(genesis(), ALICE, ENTITY, 100);
        rejected(s, s.reclaimEscrow(ALICE, new ReclaimEscrow(ENTITY, 0)), StakingRejectReason.ZERO_SHARES);
        rejected(s, s.reclaimEscrow(ALICE, new ReclaimEscrow(ENTITY, 101)), StakingRejectReason.INSUFFICIENT_SHARES);
        rejected(s, s.reclaimEscrow(BOB, new ReclaimEscrow(ENTITY, 1)), StakingRejectReason.INSUFFICIENT_SHARES);
        rejected(s, s.reclaimEscrow(ALICE, new ReclaimEscrow(key(11), 1)), StakingRejectReason.INSUFFICIENT_SHARES);
        reclaim(s, ALICE, ENTITY, 100);
        // one base unit left behind 100 shares: one share is worth floor(1 / 100) = 0, all of them 1
        StakingState thin = s.slash(ENTITY, 99).state();
        rejected(thin, thin.reclaimEscrow(ALICE, new ReclaimEscrow(ENTITY, 99)),
                StakingRejectReason.ZERO_RECLAIM_AMOUNT);
        assertEquals(List.of(new DebondingEntry(ALICE, ENTITY, 1, 2)), reclaim(thin, ALICE, ENTITY, 100)
                .debondingEntries());
    }

    @Test
    void independentOperations_commute_toTheSameRoot() {
        StakingState s = genesis();
        StakingState a = escrow(applied(s.transfer(ALICE, new Transfer(CAROL, 7))), BOB, ENTITY, 9);
        StakingState b = applied(escrow(s, BOB, ENTITY, 9).transfer(ALICE, new Transfer(CAROL, 7)));
        assertEquals(a.stateRoot(), b.stateRoot());
        assertNotEquals(s.stateRoot(), a.stateRoot());
    }
}
