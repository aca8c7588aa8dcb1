package dev.oasisj.core.staking;

import static dev.oasisj.core.staking.StakingFixtures.ALICE;
import static dev.oasisj.core.staking.StakingFixtures.BOB;
import static dev.oasisj.core.staking.StakingFixtures.ENTITY;
import static dev.oasisj.core.staking.StakingFixtures.applied;
import static dev.oasisj.core.staking.StakingFixtures.escrow;
import static dev.oasisj.core.staking.StakingFixtures.genesis;
import static dev.oasisj.core.staking.StakingFixtures.key;
import static dev.oasisj.core.staking.StakingFixtures.reclaim;
import static dev.oasisj.core.staking.StakingFixtures.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oasisj.core.crypto.PublicKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The epoch hooks (rewards, then release of matured debonding) and slashing, with exact numbers. */
class StakingEpochTest {
    private static final PublicKey E1 = key(11);
    private static final PublicKey E2 = key(12);
    private static final PublicKey E3 = key(13);

    /** Bob reclaims 49 and Alice 28 from ENTITY in epoch 0 (delay 2): both end at epoch 2. */
    private static StakingState twoDebonding() {
        StakingState s = escrow(genesis(), ALICE, ENTITY, 100);
        s = s.slash(ENTITY, 30).state();
        s = escrow(s, BOB, ENTITY, 50);
        s = reclaim(s, BOB, ENTITY, 71);
        return reclaim(s, ALICE, ENTITY, 40);
    }

    @Test
    void debonding_isReleasedExactlyAtTheTransitionIntoItsEndEpoch_notOneBefore() {
        StakingState s = twoDebonding();
        assertEquals(900, s.account(ALICE).generalBalanceBaseUnits());
        EpochTransition one = s.transitionEpoch(1, List.of());
        assertEquals(1, one.state().epoch());
        assertEquals(List.of(), one.released());
        assertEquals(900, one.state().account(ALICE).generalBalanceBaseUnits());
        assertEquals(450, one.state().account(BOB).generalBalanceBaseUnits());
        assertEquals(s.debondingEntries(), one.state().debondingEntries());
        EpochTransition two = one.state().transitionEpoch(2, List.of());
        assertEquals(List.of(new DebondingEntry(ALICE, ENTITY, 28, 2), new DebondingEntry(BOB, ENTITY, 49, 2)),
                two.released());
        assertEquals(928, two.state().account(ALICE).generalBalanceBaseUnits());
        assertEquals(499, two.state().account(BOB).generalBalanceBaseUnits());
        assertEquals(List.of(), two.state().debondingEntries());
        assertEquals(1_600, two.state().totalSupplyBaseUnits());
    }

    @Test
    void debondingBaseUnits_areNotSpendableBeforeTheirRelease() {
        StakingState s = twoDebonding();
        StakingState one = s.transitionEpoch(1, List.of()).state();
        // Bob's general balance is 450; his 49 debonding are not his to spend in epoch 1, nor escrow, nor pay fees
        rejected(one, one.transfer(BOB, new Transfer(ALICE, 451)), StakingRejectReason.INSUFFICIENT_BALANCE);
        rejected(one, one.addEscrow(BOB, new AddEscrow(ENTITY, 451)), StakingRejectReason.INSUFFICIENT_BALANCE);
        rejected(one, one.chargeTransaction(BOB, 0, 451), StakingRejectReason.INSUFFICIENT_BALANCE);
        StakingState two = one.transitionEpoch(2, List.of()).state();
        assertEquals(0, applied(two.transfer(BOB, new Transfer(ALICE, 499))).account(BOB).generalBalanceBaseUnits());
    }

    @Test
    void entriesEndingLater_stayUntilTheirOwnEpoch() {
        StakingState s = escrow(genesis(), ALICE, ENTITY, 100);
        s = reclaim(s, ALICE, ENTITY, 10); // ends at 2
        s = s.transitionEpoch(1, List.of()).state();
        s = reclaim(s, ALICE, ENTITY, 20); // ends at 3
        EpochTransition two = s.transitionEpoch(2, List.of());
        assertEquals(List.of(new DebondingEntry(ALICE, ENTITY, 10, 2)), two.released());
        assertEquals(List.of(new DebondingEntry(ALICE, ENTITY, 20, 3)), two.state().debondingEntries());
        assertEquals(910, two.state().account(ALICE).generalBalanceBaseUnits());
        EpochTransition three = two.state().transitionEpoch(3, List.of());
        assertEquals(930, three.state().account(ALICE).generalBalanceBaseUnits());
    }

    @Test
    void rewards_growThePoolNotTheShares_soDelegatorsGainProRata() {
        StakingState s = StakingState.genesis(new StakingParameters(1, 30), 0, Map.of(ALICE, 1_000L, BOB, 500L), 100);
        s = escrow(s, ALICE, ENTITY, 100);
        s = escrow(s, BOB, ENTITY, 50);
        assertEquals(new EscrowPool(150, 150), s.escrowPool(ENTITY));
        EpochTransition t = s.transitionEpoch(1, List.of(ENTITY));
        assertEquals(List.of(ENTITY), t.rewardedEntities());
        assertEquals(new EscrowPool(180, 150), t.state().escrowPool(ENTITY));
        assertEquals(70, t.state().commonPoolBaseUnits());
        s = reclaim(t.state(), ALICE, ENTITY, 100); // 100 * 180 / 150 = 120
        s = reclaim(s, BOB, ENTITY, 50); // 50 * 60 / 50 = 60
        assertEquals(List.of(new DebondingEntry(ALICE, ENTITY, 120, 2), new DebondingEntry(BOB, ENTITY, 60, 2)),
                s.debondingEntries());
    }

    @Test
    void rewards_arePaidInAscendingEntityOrder_whileTheCommonPoolHoldsAWholeReward() {
        StakingState s = genesis(StakingFixtures.PARAMS, 25);
        EpochTransition t = s.transitionEpoch(1, List.of(E3, E1, E2, E1));
        assertEquals(List.of(E1, E2), t.rewardedEntities());
        assertEquals(List.of(E3), t.unpaidEntities());
        assertEquals(5, t.state().commonPoolBaseUnits());
        // an entity without a pool gets one holding the reward and no shares
        assertEquals(new EscrowPool(10, 0), t.state().escrowPool(E1));
        assertEquals(new EscrowPool(10, 0), t.state().escrowPool(E2));
        assertEquals(EscrowPool.EMPTY, t.state().escrowPool(E3));
        assertEquals(2, t.state().escrowPoolCount());
        // ... and its first delegator buys one share per base unit, so owns the reward too (the semantics' rule)
        StakingState first = escrow(t.state(), ALICE, E1, 5);
        assertEquals(new EscrowPool(15, 5), first.escrowPool(E1));
        // with exactly one reward left in the pool, one entity is paid
        EpochTransition exact = genesis(StakingFixtures.PARAMS, 10).transitionEpoch(1, List.of(E2, E1));
        assertEquals(List.of(E1), exact.rewardedEntities());
        assertEquals(List.of(E2), exact.unpaidEntities());
        assertEquals(0, exact.state().commonPoolBaseUnits());
    }

    @Test
    void aZeroReward_paysNothing_andCreatesNoPool() {
        StakingState s = StakingState.genesis(new StakingParameters(2, 0), 0, Map.of(ALICE, 1_000L), 100);
        EpochTransition t = s.transitionEpoch(1, List.of(E1));
        assertEquals(List.of(), t.rewardedEntities());
        assertEquals(List.of(), t.unpaidEntities());
        assertEquals(0, t.state().escrowPoolCount());
        assertEquals(100, t.state().commonPoolBaseUnits());
    }

    @Test
    void epochsAdvanceByOne() {
        StakingState s = genesis();
        assertThrows(IllegalArgumentException.class, () -> s.transitionEpoch(0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> s.transitionEpoch(2, List.of()));
        StakingState last = StakingState.genesis(StakingFixtures.PARAMS, StakingState.MAX_EPOCH, Map.of(), 0);
        assertThrows(IllegalArgumentException.class, () -> last.transitionEpoch(StakingState.MAX_EPOCH + 1,
                List.of()));
        StakingState beforeLast = StakingState.genesis(StakingFixtures.PARAMS, StakingState.MAX_EPOCH - 1,
                Map.of(), 0);
        assertEquals(StakingState.MAX_EPOCH, beforeLast.transitionEpoch(StakingState.MAX_EPOCH, List.of()).state()
                .epoch());
    }

    @Test
    void slashing_takesFromThePoolNotTheShares_soDelegatorsLoseProRata() {
        StakingState s = escrow(escrow(genesis(), ALICE, ENTITY, 100), BOB, ENTITY, 50);
        SlashResult slashed = s.slash(ENTITY, 60);
        assertEquals(60, slashed.slashedBaseUnits());
        assertEquals(new EscrowPool(90, 150), slashed.state().escrowPool(ENTITY));
        assertEquals(160, slashed.state().commonPoolBaseUnits());
        StakingState r = reclaim(slashed.state(), ALICE, ENTITY, 100); // 100 * 90 / 150 = 60
        r = reclaim(r, BOB, ENTITY, 50); // 50 * 30 / 50 = 30
        assertEquals(List.of(new DebondingEntry(ALICE, ENTITY, 60, 2), new DebondingEntry(BOB, ENTITY, 30, 2)),
                r.debondingEntries());
    }

    @Test
    void slashing_takesAtMostThePoolsBalance_andNeverTouchesDebonding() {
        StakingState s = reclaim(escrow(genesis(), ALICE, ENTITY, 100), ALICE, ENTITY, 40); // 40 debonding
        SlashResult all = s.slash(ENTITY, 1_000);
        assertEquals(60, all.slashedBaseUnits());
        assertEquals(new EscrowPool(0, 60), all.state().escrowPool(ENTITY));
        assertEquals(160, all.state().commonPoolBaseUnits());
        assertEquals(List.of(new DebondingEntry(ALICE, ENTITY, 40, 2)), all.state().debondingEntries());
        SlashResult exact = s.slash(ENTITY, 60);
        assertEquals(60, exact.slashedBaseUnits());
        assertEquals(all.state().stateRoot(), exact.state().stateRoot());
        // nothing left, no pool at all, or nothing asked: nothing taken, the same state
        SlashResult again = all.state().slash(ENTITY, 5);
        assertEquals(0, again.slashedBaseUnits());
        assertSame(all.state(), again.state());
        assertSame(s, s.slash(E1, 5).state());
        assertEquals(0, s.slash(E1, 5).slashedBaseUnits());
        assertSame(s, s.slash(ENTITY, 0).state());
        assertThrows(IllegalArgumentException.class, () -> s.slash(ENTITY, -1));
    }
}
